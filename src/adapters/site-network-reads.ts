import type { NspAccessRule, NspAssociation, NetworkSecurityPerimeter } from '@azure/arm-network';
import { InventoryError, readableId } from '../probe/inventory';
import type { PerimeterAccessRule, PerimeterAssociation, RouteTableRecord } from '../probe/network-records';
import type { ArmClients } from './arm-clients';
import { guard } from './arm-errors';
import { collectPages } from './arm-http';
import { mapPerimeterAccessRule, mapPerimeterAssociation, mapRouteTable } from './network-mappers';

/** A route table with its routes (`GET …/routeTables/{name}`: Microsoft.Network/routeTables/read). */
export function getRouteTable(clients: ArmClients, id: string, signal: AbortSignal): Promise<RouteTableRecord> {
  return guard('get route table', id, async () => {
    const p = readableId(id, 'get route table');
    return mapRouteTable(
      await clients.net(p.subscriptionId).routeTables.get(p.resourceGroup, p.name, clients.op(signal)),
    );
  });
}

/**
 * Every resource association of every network security perimeter of the subscription: `GET
 * …/providers/Microsoft.Network/networkSecurityPerimeters` (networkSecurityPerimeters/read), then each perimeter's
 * `resourceAssociations` (networkSecurityPerimeters/resourceAssociations/read).
 */
export function listPerimeterAssociations(
  clients: ArmClients,
  subscriptionId: string,
  signal: AbortSignal,
): Promise<PerimeterAssociation[]> {
  return guard('list network security perimeters', `/subscriptions/${subscriptionId}`, async () => {
    const perimeters: NetworkSecurityPerimeter[] = [];
    await collectPages(
      clients.net(subscriptionId).networkSecurityPerimeters.listBySubscription(clients.op(signal)).byPage(),
      clients.origin,
      (p) => void perimeters.push(p),
    );
    const out: PerimeterAssociation[] = [];
    for (const perimeter of perimeters) {
      const p = readableId(perimeter.id ?? '', 'list network security perimeter associations');
      const associations: NspAssociation[] = [];
      await collectPages(
        clients
          .net(p.subscriptionId)
          .networkSecurityPerimeterAssociations.list(p.resourceGroup, p.name, clients.op(signal))
          .byPage(),
        clients.origin,
        (a) => void associations.push(a),
      );
      out.push(...associations.flatMap((a) => mapPerimeterAssociation(a) ?? []));
    }
    return out;
  });
}

/** The access rules of a perimeter profile (networkSecurityPerimeters/profiles/accessRules/read). */
export function listPerimeterAccessRules(
  clients: ArmClients,
  profileId: string,
  signal: AbortSignal,
): Promise<PerimeterAccessRule[]> {
  return guard('list network security perimeter access rules', profileId, async () => {
    const m =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkSecurityPerimeters\/([^/]+)\/profiles\/([^/]+)$/i.exec(
        profileId,
      );
    if (!m)
      throw new InventoryError(
        `"${profileId}" is not a perimeter profile ID`,
        'list network security perimeter access rules',
        profileId,
        undefined,
        'InvalidResourceId',
      );
    const [, sub = '', rg = '', nsp = '', profile = ''] = m;
    const rules: NspAccessRule[] = [];
    await collectPages(
      clients.net(sub).networkSecurityPerimeterAccessRules.list(rg, nsp, profile, clients.op(signal)).byPage(),
      clients.origin,
      (r) => void rules.push(r),
    );
    return rules.map(mapPerimeterAccessRule);
  });
}
