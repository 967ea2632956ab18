import { classifyForSite, siteExpectation } from '../expectation';
import { parseArmId } from '../names';
import { resolvedAddresses } from '../report';
import type {
  AddressOwner,
  ExpectedState,
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  ObservedState,
  PrivateDnsZoneRecord,
  VirtualNetworkRecord,
} from '../types';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

/**
 * True when what the resolvers returned is not exactly what this site expects (the usable endpoints it reaches; any
 * usable endpoint without a known site), or a resolver failed. A healthy vault with endpoints in two regions has
 * not drifted: each site resolves to its own.
 */
export function resolutionDrifted(expected: ExpectedState, observed: ObservedState, vnetId?: string): boolean {
  const { os, dns } = observed.dns;
  if (os.error || dns.error) return true;
  const site = siteExpectation(expected, vnetId);
  const got = new Set(resolvedAddresses(observed.dns));
  const custom = (observed.customDns ?? []).filter((c) => c.kind !== 'azure');
  if (site.kind !== 'private')
    return [...got].some((a) => classifyForSite(a, expected).private) || custom.some((c) => c.error !== undefined);
  const want = new Set(site.ips);
  return (
    want.size !== got.size ||
    [...got].some((a) => !want.has(a)) ||
    custom.some((c) => c.error || c.addresses.some((a) => !want.has(a)))
  );
}

/**
 * Stage 2b: where the vault's privatelink name is served from: the zones its endpoints' zone groups name, and the
 * zones of that name in the subscriptions in scope; and the VNet the probe stands in. Failed reads are skipped:
 * these facts sharpen findings, and their absence must not change a vault's status.
 */
export async function readDnsState(
  expected: ExpectedState,
  zoneName: string,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<ExpectedState> {
  const byId = new Map<string, PrivateDnsZoneRecord>();
  const groupZoneIds = expected.endpoints.flatMap((e) => (e.zoneGroups ?? []).flatMap((g) => g.zoneIds));
  await Promise.all([
    ...[...new Set(groupZoneIds.map((z) => z.toLowerCase()))].map(async (id) => {
      try {
        const z = await reader.zone(id);
        if (z.name === zoneName) byId.set(z.id.toLowerCase(), z);
      } catch {
        // An unreadable zone is left out; the zone-group finding still names it.
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
        }
      },
    ),
  ]);
  let probeVnet: VirtualNetworkRecord | undefined;
  let rulesets: ForwardingRulesetRecord[] | undefined;
  let inboundEndpoints: InboundEndpointRecord[] | undefined;
  if (req.vnetId) {
    const vnetId = req.vnetId;
    try {
      probeVnet = await reader.vnet(vnetId);
    } catch {
      probeVnet = undefined;
    }
    if (probeVnet) {
      // Which VNet serves this VNet's resolution: rulesets linked here, and the resolvers their rules (or the VNet's
      // DNS servers) send to. Unreadable: the VNets stay unknown, and ZONE_NOT_LINKED judges only what it knows.
      try {
        rulesets = await reader.rulesets(vnetId);
        const subs = [
          ...new Set(
            [
              ...req.subscriptions,
              parseArmId(vnetId)?.subscriptionId ?? '',
              ...rulesets.map((r) => parseArmId(r.id)?.subscriptionId ?? ''),
            ]
              .filter(Boolean)
              .map((x) => x.toLowerCase()),
          ),
        ];
        if (rulesets.length > 0 || probeVnet.dnsServers.length > 0) inboundEndpoints = await reader.inbound(subs);
      } catch {
        // As above.
      }
    }
  }
  return {
    ...expected,
    zones: [...byId.values()],
    ...(probeVnet ? { probeVnet } : {}),
    ...(rulesets ? { rulesets } : {}),
    ...(inboundEndpoints ? { inboundEndpoints } : {}),
  };
}

/** Stage 3b: who holds each private address the resolvers returned that is no endpoint of this vault. */
export async function readAddressOwners(
  expected: ExpectedState,
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
  const addresses = resolvedAddresses(observed.dns).filter((a) => classifyForSite(a, expected).private && !own.has(a));
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
