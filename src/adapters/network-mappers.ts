import type { NspAccessRule, NspAssociation, RouteTable, Subnet } from '@azure/arm-network';
import type {
  PerimeterAccessRule,
  PerimeterAssociation,
  RouteTableRecord,
  SubnetRecord,
} from '../probe/network-records';

/**
 * Issue 20: the probe's subnets, their route tables, and network security perimeter associations and access rules,
 * from the Microsoft.Network SDK's (flattened) shapes: virtualNetwork.json (subnets, serviceEndpoints, routeTable),
 * routeTable.json (routes) and networkSecurityPerimeter.json (resourceAssociations, profiles/accessRules).
 */

export function mapSubnet(s: Subnet): SubnetRecord {
  const prefixes = s.addressPrefixes?.length ? s.addressPrefixes : s.addressPrefix ? [s.addressPrefix] : [];
  return {
    id: s.id ?? '',
    addressPrefixes: prefixes,
    // A service endpoint still provisioning or failed carries no traffic yet.
    serviceEndpoints: (s.serviceEndpoints ?? [])
      .filter((e) => e.service && !/^(failed|deleting)$/i.test(e.provisioningState ?? ''))
      .map((e) => e.service ?? ''),
    ...(s.routeTable?.id ? { routeTableId: s.routeTable.id } : {}),
  };
}

export function mapRouteTable(t: RouteTable): RouteTableRecord {
  return {
    id: t.id ?? '',
    routes: (t.routes ?? []).flatMap((r) =>
      r.addressPrefix && r.nextHopType
        ? [
            {
              name: r.name ?? '',
              addressPrefix: r.addressPrefix,
              nextHopType: r.nextHopType,
              ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}),
            },
          ]
        : [],
    ),
  };
}

/** The perimeter of an association ID (`…/networkSecurityPerimeters/<nsp>/resourceAssociations/<a>`). */
function perimeterOf(id: string): string {
  return /^(.*\/networkSecurityPerimeters\/[^/]+)\/resourceAssociations\/[^/]+$/i.exec(id)?.[1] ?? '';
}

export function mapPerimeterAssociation(a: NspAssociation): PerimeterAssociation | undefined {
  const resourceId = a.privateLinkResource?.id;
  if (!a.id || !resourceId) return undefined;
  return {
    id: a.id,
    perimeterId: perimeterOf(a.id),
    profileId: a.profile?.id,
    accessMode: a.accessMode,
    resourceId,
  };
}

export function mapPerimeterAccessRule(r: NspAccessRule): PerimeterAccessRule {
  return {
    name: r.name ?? '',
    direction: r.direction ?? '',
    addressPrefixes: r.addressPrefixes ?? [],
    subscriptions: (r.subscriptions ?? []).flatMap((s) => (s.id ? [s.id] : [])),
  };
}
