import type { PrivateDnsManagementClient, PrivateZone, VirtualNetworkLink } from '@azure/arm-privatedns';
import { readableId } from '../probe/inventory';
import { parseArmId } from '../probe/names';
import type { PrivateDnsZoneRecord } from '../probe/types';
import type { ArmClients } from './arm-clients';
import { guard } from './arm-errors';
import { collectPages } from './arm-http';
import { readList } from './arm-lists';
import { mapPrivateDnsZone } from './arm-mappers';
import { mapRecordSetWire } from './arm-wire-mappers';

/** The zone, its A record sets and its VNet links: three reads. */
export async function getPrivateDnsZone(
  clients: ArmClients,
  id: string,
  signal: AbortSignal,
): Promise<PrivateDnsZoneRecord> {
  return guard('get private DNS zone', id, async () => {
    const p = readableId(id, 'get private DNS zone');
    const client = clients.dns(p.subscriptionId);
    const zone = await client.privateZones.get(p.resourceGroup, p.name, clients.op(signal));
    return zoneWithChildren(clients, client, p.resourceGroup, zone, signal);
  });
}

/** The subscription's private DNS zones named `names` (case-insensitively), each with records and links. */
export async function listPrivateDnsZones(
  clients: ArmClients,
  subscriptionId: string,
  names: readonly string[],
  signal: AbortSignal,
): Promise<PrivateDnsZoneRecord[]> {
  return guard('list private DNS zones', `/subscriptions/${subscriptionId}`, async () => {
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    const client = clients.dns(subscriptionId);
    const out: PrivateDnsZoneRecord[] = [];
    const zones: PrivateZone[] = [];
    await collectPages(client.privateZones.list(clients.op(signal)).byPage(), clients.origin, (z) => {
      if (wanted.has(String(z.name ?? '').toLowerCase())) zones.push(z);
    });
    for (const z of zones) {
      const rg = parseArmId(typeof z.id === 'string' ? z.id : '')?.resourceGroup ?? '';
      out.push(await zoneWithChildren(clients, client, rg, z, signal));
    }
    return out;
  });
}

/**
 * A record sets are read one by one (readList): a record set the SDK cannot read costs only its own vault's
 * record (kept as unreadable by mapPrivateDnsZone), never its neighbours' in the same zone.
 */
async function zoneWithChildren(
  clients: ArmClients,
  client: PrivateDnsManagementClient,
  resourceGroup: string,
  zone: PrivateZone,
  signal: AbortSignal,
): Promise<PrivateDnsZoneRecord> {
  const name = zone.name ?? '';
  const records = await readList(
    clients.list(client, signal, (o) => client.recordSets.listByType(resourceGroup, name, 'A', o)),
    clients.origin,
    (r) => [r],
    (row) => [mapRecordSetWire(row)],
  );
  const links: VirtualNetworkLink[] = [];
  await collectPages(
    client.virtualNetworkLinks.list(resourceGroup, name, clients.op(signal)).byPage(),
    clients.origin,
    (l) => void links.push(l),
  );
  return mapPrivateDnsZone(zone, records, links);
}
