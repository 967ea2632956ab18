import { commands } from '../commands';
import { isUsable, resourceName } from '../endpoints';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** ZONE_GROUP_MISSING: an approved endpoint has no DNS zone group, so nothing keeps its A record in step. */
export function checkZoneGroup({ expected }: CheckInput): Finding[] {
  if (!expected) return [];
  const zoneId =
    expected.zones?.[0]?.id ??
    (expected.vault.kind === 'managedHsm'
      ? '<privatelink.managedhsm.azure.net zone resource ID>'
      : '<privatelink.vaultcore.azure.net zone resource ID>');
  return expected.endpoints.flatMap((e) => {
    const peId = e.connection.privateEndpointId;
    if (!isUsable(e) || e.zoneGroups === undefined || e.zoneGroups.length > 0 || !peId) return [];
    return [
      finding(
        'ZONE_GROUP_MISSING',
        `Private endpoint ${resourceName(peId)} of vault ${expected.vault.name} has no DNS zone group: its A record is kept by hand, and goes stale when the endpoint is re-created.`,
        { privateEndpointId: peId },
        { resourceId: peId, fix: commands.createZoneGroup(peId, zoneId) },
      ),
    ];
  });
}
