import { hasUsableEndpoint, resourceName } from '../endpoints';
import { commands, reads } from '../commands';
import { parseArmId } from '../names';
import type { ExpectedEndpoint, VaultRecord } from '../types';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** An endpoint the probe cannot read: another tenant's or service's, or its read failed (not 404). */
function unreadable(ep: ExpectedEndpoint): 'denied' | 'unreadable' | undefined {
  if (ep.foreign) return ep.foreign;
  return ep.endpoint === undefined && ep.errors.some((e) => e.statusCode !== 404) ? 'unreadable' : undefined;
}

/**
 * CONNECTION_REQUEST_PENDING: a Pending connection whose endpoint the probe cannot read. Anyone who knows the vault's
 * ID can request one: it is named (info, never unhealthy), and no approve or reject command is offered.
 */
function unreviewedRequest(ep: ExpectedEndpoint, vault: VaultRecord): Finding | undefined {
  const reason = unreadable(ep);
  if (ep.connection.status?.toLowerCase() !== 'pending' || !reason) return undefined;
  const peId = ep.connection.privateEndpointId ?? '';
  const subscriptionId = parseArmId(peId)?.subscriptionId;
  // The failure that made it unreadable: a 404 beside it only says the endpoint was looked for elsewhere too.
  const status = (ep.errors.find((e) => e.statusCode !== 404) ?? ep.errors[0])?.statusCode;
  const why =
    reason === 'denied'
      ? `its read was denied${status !== undefined ? ` (${status})` : ''}: another tenant's or a service's endpoint`
      : `its read failed${status !== undefined ? ` (${status})` : ''}`;
  return finding(
    'CONNECTION_REQUEST_PENDING',
    `Vault ${vault.name} has a Pending connection request ${resourceName(ep.connection.id)} from private endpoint ${resourceName(peId)}${subscriptionId ? ` in subscription ${subscriptionId}` : ''}, which the probe cannot read (${why}). Verify who owns it before approving or rejecting it.`,
    {
      privateEndpointId: peId,
      connectionId: ep.connection.id,
      ...(subscriptionId ? { subscriptionId } : {}),
      reason,
      ...(status !== undefined ? { statusCode: status } : {}),
    },
    {
      resourceId: ep.connection.id || peId,
      confirm: reads.showConnection(vault.name, vault.resourceGroup, resourceName(ep.connection.id)),
    },
  );
}

/**
 * PE_CONNECTION_NOT_APPROVED: a vault-side or endpoint-side connection is Pending, Rejected or Disconnected.
 * An error when the vault has no usable endpoint left; a warning when another endpoint still serves it.
 */
export function checkConnectionApproval({ expected }: CheckInput): Finding[] {
  if (!expected) return [];
  const severity = hasUsableEndpoint(expected) ? 'warning' : 'error';
  // issue 20: while no connection is Approved the vault publishes no privatelink CNAME: its name resolves publicly.
  const noApprovedConnection = !expected.endpoints.some((e) => e.connection.status?.toLowerCase() === 'approved');
  const findings: Finding[] = [];
  for (const ep of expected.endpoints) {
    const peName = resourceName(ep.connection.privateEndpointId);
    const vaultStatus = ep.connection.status ?? 'Unknown';
    const request = unreviewedRequest(ep, expected.vault);
    if (request) {
      findings.push(request);
      continue;
    }
    // Another tenant's or a service's endpoint (FOREIGN_ENDPOINT names it): not this vault owner's to re-create.
    if (ep.foreign) continue;
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
          {
            privateEndpointId: ep.connection.privateEndpointId,
            side: 'vault',
            status: vaultStatus,
            ...(noApprovedConnection ? { noApprovedConnection } : {}),
          },
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
