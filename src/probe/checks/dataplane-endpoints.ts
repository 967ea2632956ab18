import type { ExpectedState, Site } from '../types';

/** ARM IDs compare case-insensitively. */
export const lower = (id: string): string => id.toLowerCase();

/**
 * The IDs (lower-cased) of every endpoint this vault has a connection with, readable, foreign or not: a connection
 * that arrived through one of them is the vault's own. Not `ownEndpoints` (endpoints.ts), the endpoints the site judges.
 */
export function connectedEndpointIds(expected: ExpectedState | undefined): Set<string> {
  const ids = [
    ...(expected?.vault.connections ?? []).flatMap((c) => (c.privateEndpointId ? [c.privateEndpointId] : [])),
    ...(expected?.endpoints ?? []).flatMap((e) => (e.endpoint ? [e.endpoint.id] : [])),
  ];
  return new Set(ids.map(lower));
}

/**
 * The endpoints this site should reach the vault through: those in the probe's VNet when it is known and has one;
 * otherwise the endpoint that owns the address connected to. Empty: no preference can be stated.
 */
export function preferredEndpoints(
  expected: ExpectedState | undefined,
  site: Site | undefined,
  address: string,
): Set<string> {
  const eps = (expected?.endpoints ?? []).flatMap(({ endpoint, networkInterfaces }) =>
    endpoint ? [{ endpoint, networkInterfaces }] : [],
  );
  const vnet = site?.vnet?.id;
  if (vnet) {
    // A missing subnet reads as `undefined`, which starts no VNet's subnet ID.
    const local = eps.filter((e) => lower(String(e.endpoint.subnetId)).startsWith(`${lower(vnet)}/subnets/`));
    if (local.length > 0) return new Set(local.map((e) => lower(e.endpoint.id)));
  }
  const owning = eps.filter((e) =>
    e.networkInterfaces.some((n) => n.ipConfigurations.some((c) => c.privateIpAddress === address)),
  );
  return new Set(owning.map((e) => lower(e.endpoint.id)));
}

/** The resources an endpoint serves, where the address-owner lookup found it. */
export function ownersOf(privateEndpointId: string, expected: ExpectedState | undefined): string[] {
  const owner = (expected?.addressOwners ?? []).find((o) => lower(o.privateEndpointId) === lower(privateEndpointId));
  return owner ? [...owner.targetResourceIds] : [];
}
