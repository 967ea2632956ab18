import { commands } from '../commands';
import { resourceName } from '../endpoints';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/**
 * FOREIGN_ENDPOINT: an endpoint of the vault that the probe may not read (another tenant's, a managed endpoint of
 * Data Factory, Synapse or AI Search): ARM answered 401 or 403. Named once, as info; it takes no part in what
 * this site expects, and silences nothing about the vault's own endpoints.
 */
export function checkForeignEndpoint({ expected }: CheckInput): Finding[] {
  if (!expected) return [];
  return expected.endpoints.flatMap((ep) => {
    // A Pending request from it is CONNECTION_REQUEST_PENDING's to name.
    if (!ep.foreign || String(ep.connection.status).toLowerCase() === 'pending') return [];
    const id = ep.connection.privateEndpointId ?? '';
    const e = ep.errors[0];
    const why = `its read was denied (${[e?.statusCode, e?.code].filter((x) => x !== undefined).join(' ') || 'no status'}): it belongs to another tenant or is managed by another service`;
    return [
      finding(
        'FOREIGN_ENDPOINT',
        `Private endpoint ${resourceName(id)} of vault ${expected.vault.name} (connection ${ep.connection.status ?? 'Unknown'}) is foreign: ${why}. It is left out of what this VNet expects.`,
        {
          privateEndpointId: id,
          reason: ep.foreign,
          ...(e?.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
          ...(e?.code ? { armErrorCode: e.code } : {}),
        },
        { resourceId: ep.connection.id || id, confirm: commands.showVault(expected.vault.id) },
      ),
    ];
  });
}
