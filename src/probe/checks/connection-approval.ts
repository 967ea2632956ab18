import { hasUsableEndpoint, resourceName } from '../endpoints';
import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/**
 * PE_CONNECTION_NOT_APPROVED: a vault-side or endpoint-side connection is Pending, Rejected or Disconnected.
 * An error when the vault has no usable endpoint left; a warning when another endpoint still serves it.
 */
export function checkConnectionApproval({ expected }: CheckInput): Finding[] {
  if (!expected) return [];
  const severity = hasUsableEndpoint(expected) ? 'warning' : 'error';
  const findings: Finding[] = [];
  for (const ep of expected.endpoints) {
    const peName = resourceName(ep.connection.privateEndpointId);
    const vaultStatus = ep.connection.status ?? 'Unknown';
    if (vaultStatus.toLowerCase() !== 'approved') {
      const connName = resourceName(ep.connection.id);
      const { name: vaultName, resourceGroup } = expected.vault;
      const pending = vaultStatus.toLowerCase() === 'pending';
      // 404: the endpoint is gone; what is left to clean up is the vault's side of the connection.
      const gone = ep.endpoint === undefined && ep.errors.some((e) => e.statusCode === 404);
      const fix = pending
        ? commands.approve(vaultName, resourceGroup, connName)
        : gone || !ep.connection.privateEndpointId
          ? commands.deleteConnection(vaultName, resourceGroup, connName)
          : commands.deleteEndpoint(ep.connection.privateEndpointId);
      findings.push(
        finding(
          'PE_CONNECTION_NOT_APPROVED',
          `The connection of private endpoint ${peName} to vault ${expected.vault.name} is ${vaultStatus} on the vault side.`,
          { privateEndpointId: ep.connection.privateEndpointId, side: 'vault', status: vaultStatus },
          {
            severity,
            resourceId: ep.connection.id || ep.connection.privateEndpointId,
            fix,
            confirm: commands.showConnection(vaultName, resourceGroup, connName),
            remediation: pending
              ? `Approve connection ${connName} on vault ${vaultName}: its endpoint ${peName} was read, and is in scope.`
              : gone
                ? `Private endpoint ${peName} no longer exists: delete the vault's ${vaultStatus} connection ${connName}, which it left behind.`
                : `A ${vaultStatus} connection cannot be re-approved: delete private endpoint ${peName} and create it again, then approve the new connection.`,
          },
        ),
      );
      continue;
    }
    for (const c of ep.endpoint?.connections ?? []) {
      if (c.status === undefined || c.status.toLowerCase() === 'approved') continue;
      findings.push(
        finding(
          'PE_CONNECTION_NOT_APPROVED',
          `Private endpoint ${peName} reports its ${c.approval} connection ${c.name} as ${c.status}, although the vault shows it Approved.`,
          { privateEndpointId: ep.connection.privateEndpointId, side: 'endpoint', status: c.status },
          {
            severity,
            resourceId: ep.connection.privateEndpointId,
            ...(ep.connection.privateEndpointId
              ? { confirm: commands.showEndpoint(ep.connection.privateEndpointId) }
              : {}),
          },
        ),
      );
    }
  }
  return findings;
}
