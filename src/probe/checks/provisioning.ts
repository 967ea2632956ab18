import { hasUsableEndpoint, resourceName } from '../endpoints';
import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** PE_NOT_PROVISIONED: the vault-side connection, the endpoint, or its connection is not provisioned Succeeded. */
export function checkProvisioning({ expected }: CheckInput): Finding[] {
  if (!expected) return [];
  const severity = hasUsableEndpoint(expected) ? 'warning' : 'error';
  const findings: Finding[] = [];
  for (const ep of expected.endpoints) {
    const id = ep.connection.privateEndpointId;
    const peName = resourceName(id);
    const states: [side: 'vault' | 'endpoint' | 'endpoint-connection', state: string | undefined, what: string][] = [
      ['vault', ep.connection.provisioningState, `the vault's connection to private endpoint ${peName}`],
      ['endpoint', ep.endpoint?.provisioningState, `private endpoint ${peName}`],
      ...(ep.endpoint?.connections ?? []).map((c): ['endpoint-connection', string | undefined, string] => [
        'endpoint-connection',
        c.provisioningState,
        `connection ${c.name} of private endpoint ${peName}`,
      ]),
    ];
    for (const [side, state, what] of states) {
      // A state ARM did not give is no failure; Succeeded in any case is done.
      if (state === undefined || state.toLowerCase() === 'succeeded') continue;
      findings.push(
        finding(
          'PE_NOT_PROVISIONED',
          `The provisioning state of ${what} is ${state} (vault ${expected.vault.name}).`,
          { privateEndpointId: id, side, provisioningState: state },
          {
            severity,
            resourceId: side === 'vault' ? ep.connection.id : id,
            ...(id ? { confirm: commands.showEndpoint(id) } : {}),
          },
        ),
      );
    }
  }
  return findings;
}
