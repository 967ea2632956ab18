import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** NO_PRIVATE_ENDPOINT: the vault has no private endpoint connection. Worse when public access is disabled. */
export function checkNoPrivateEndpoint({ expected, site }: CheckInput): Finding[] {
  if (!expected || expected.vault.connections.length > 0) return [];
  const pna = expected.vault.publicNetworkAccess;
  const disabled = pna?.toLowerCase() === 'disabled';
  return [
    finding(
      'NO_PRIVATE_ENDPOINT',
      disabled
        ? `Vault ${expected.vault.name} has public network access disabled and no private endpoint connection: no network path can reach it.`
        : `Vault ${expected.vault.name} has no private endpoint connection; clients reach it over its public endpoint.`,
      { publicNetworkAccess: pna },
      {
        severity: disabled ? 'error' : 'warning',
        resourceId: expected.vault.id,
        command: commands.createEndpoint(expected.vault.id, expected.vault.name, site?.vnetId),
      },
    ),
  ];
}
