import { classifyForSite, type SiteExpectation } from '../expectation';
import { resolvedAddresses } from '../report';
import type { AddressOwner, ExpectedState, ObservedState, PrivateDnsZoneRecord, Site } from '../types';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

/**
 * True when what the resolvers returned is not exactly what this site expects (the usable endpoints it reaches; any
 * usable endpoint without a known site), or a resolver failed. A healthy vault with endpoints in two regions has
 * not drifted: each site resolves to its own.
 */
export function resolutionDrifted(
  expectation: SiteExpectation,
  observed: ObservedState,
  site: Site | undefined,
): boolean {
  const { os, dns } = observed.dns;
  if (os.error || dns.error) return true;
  const got = new Set(resolvedAddresses(observed.dns));
  const custom = (observed.customDns ?? []).filter((c) => c.kind !== 'azure');
  if (expectation.kind !== 'private')
    return [...got].some((a) => classifyForSite(a, site).private) || custom.some((c) => c.error !== undefined);
  const want = new Set(expectation.ips);
  return (
    want.size !== got.size ||
    [...got].some((a) => !want.has(a)) ||
    custom.some((c) => c.error || c.addresses.some((a) => !want.has(a)))
  );
}

/**
 * Stage 2b: where the vault's privatelink name is served from: the zones its endpoints' zone groups name, and the
 * zones of that name in the subscriptions in scope (the site is read by readSite). Failed reads are left out but
 * named in `unreadZones`: these facts sharpen findings and their absence must not change a vault's status, but a
 * check must not take a record an unread zone may hold for a missing one.
 */
export async function readDnsState(
  expected: ExpectedState,
  zoneName: string,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<ExpectedState> {
  const byId = new Map<string, PrivateDnsZoneRecord>();
  const unread: string[] = [];
  const groupZoneIds = expected.endpoints.flatMap((e) => (e.zoneGroups ?? []).flatMap((g) => g.zoneIds));
  await Promise.all([
    ...[...new Set(groupZoneIds.map((z) => z.toLowerCase()))].map(async (id) => {
      try {
        const z = await reader.zone(id);
        if (z.name === zoneName) byId.set(z.id.toLowerCase(), z);
      } catch {
        // An unreadable zone is left out; the zone-group finding still names it.
        unread.push(id);
      }
    }),
    ...[...new Set([...req.subscriptions, expected.vault.subscriptionId].map((x) => x.toLowerCase()))].map(
      async (sub) => {
        try {
          for (const z of await reader.zoneList(sub, [zoneName])) {
            if (z.name === zoneName) byId.set(z.id.toLowerCase(), z);
          }
        } catch {
          // As above: missing zones narrow the findings, they do not fail the vault.
          unread.push(`/subscriptions/${sub}`);
        }
      },
    ),
  ]);
  return { ...expected, zones: [...byId.values()], ...(unread.length > 0 ? { unreadZones: unread.sort() } : {}) };
}

/** Stage 3b: who holds each private address the resolvers returned that is no endpoint of this vault. */
export async function readAddressOwners(
  expected: ExpectedState,
  site: Site | undefined,
  observed: ObservedState,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<ExpectedState> {
  const own = new Set(
    expected.endpoints.flatMap((e) =>
      e.networkInterfaces.flatMap((n) => n.ipConfigurations.map((c) => c.privateIpAddress)),
    ),
  );
  // Private for this site: RFC 1918, RFC 6598, ULA, or inside the VNet's and its peers' address spaces.
  const addresses = resolvedAddresses(observed.dns).filter((a) => classifyForSite(a, site).private && !own.has(a));
  const subs = [...new Set([...req.subscriptions, expected.vault.subscriptionId].map((x) => x.toLowerCase()))];
  const owners: AddressOwner[] = [];
  for (const address of addresses) {
    try {
      const owner = await reader.addressOwner(address, subs);
      if (owner) owners.push(owner);
    } catch {
      // Unknown owner: the DNS finding stands on its own.
    }
  }
  return owners.length > 0 ? { ...expected, addressOwners: owners } : expected;
}
