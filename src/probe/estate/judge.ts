import { commands } from '../commands';
import { siteExpectation, type SiteExpectation } from '../expectation';
import { finding, type Finding } from '../findings';
import { isVirtualWanHubPeer } from '../connectivity';
import type { ResolverFacts, ZoneResolution } from '../resolution/chain';
import { recordsOf, type Answer } from './answer';
import type { ExpectedState, Site } from '../types';

/** A (VNet, vault) pair as the estate map judges it. */
export type EstateStatus = 'healthy' | 'unhealthy' | 'unknown' | 'unreachable';

export interface Judgement {
  readonly status: EstateStatus;
  /** The findings that name the object to fix; shared by every pair the same object breaks. */
  readonly findings: readonly Finding[];
}

/** One vault as the estate judges it: its state, privatelink label and zone, and its endpoints' VNets. */
export interface EstateVault {
  readonly expected: ExpectedState;
  readonly label: string;
  readonly zoneName: string;
  /** The VNets of its endpoints and of its firewall's VNet rules (lower-cased); undefined: one is not known. */
  readonly vnets: readonly string[] | undefined;
  /** Key Vault publishes its privatelink CNAME (a connection is Approved): else the public name answers. */
  readonly published: boolean;
}

const fits = (got: readonly string[], want: readonly string[]): boolean =>
  got.length > 0 && got.every((ip) => want.includes(ip));

const HEALTHY: Judgement = { status: 'healthy', findings: [] };
const UNKNOWN: Judgement = { status: 'unknown', findings: [] };
const UNREACHABLE: Judgement = { status: 'unreachable', findings: [] };

/** The zone holding the vault's record with one of the IPs this VNet must get. */
function holdingZone(facts: ResolverFacts, v: EstateVault, ips: readonly string[]) {
  return facts.zonesNamed(v.zoneName).find(
    (z) =>
      recordsOf(z)
        .get(v.label)
        ?.ips.some((ip) => ips.includes(ip)) === true,
  );
}

/**
 * Judges a pair from the site expectation (what the VNet must resolve the vault to) and the predicted answer: the
 * findings the per-site checks raise for the same state (ZONE_NOT_LINKED, ZONE_RECORD_MISSING, ZONE_RECORD_STALE,
 * NXDOMAIN_SPLIT_BRAIN, DNS_UNREACHED_ENDPOINT), each naming the object to fix. `shared` keeps one finding per
 * object, so thousands of pairs broken by one missing link hold one finding.
 */
export function judgePair(
  v: EstateVault,
  site: Site,
  expectation: SiteExpectation,
  resolution: ZoneResolution,
  answer: Answer,
  facts: ResolverFacts,
  shared: Map<string, Finding>,
): Judgement {
  if (answer.kind === 'server' || answer.kind === 'unknown') return UNKNOWN;
  if (expectation.kind === 'unreachable') return UNREACHABLE;
  // The common case first: the record a private VNet must get.
  if (expectation.kind === 'private' && answer.kind === 'records' && fits(answer.ips, expectation.ips)) return HEALTHY;
  const once = (key: string, make: () => Finding): Finding => {
    let f = shared.get(key);
    if (!f) {
      f = make();
      shared.set(key, f);
    }
    return f;
  };
  const vault = v.expected.vault;
  const r = resolution.resolver;
  if (expectation.kind === 'public') {
    if (answer.kind === 'public') return HEALTHY;
    if (answer.kind === 'nxdomain' && r.kind === 'zone') {
      const f = once(`split|${r.link.id}`, () =>
        finding(
          'NXDOMAIN_SPLIT_BRAIN',
          `Zone ${r.zone.name} (${r.zone.resourceGroup}) is linked to ${r.vnetId} by ${r.link.name} without NxDomainRedirect: names it holds no record for are NXDOMAIN there instead of resolving publicly.`,
          { zone: r.zone.id, vnetId: r.vnetId, linkId: r.link.id },
          { resourceId: r.link.id, fix: commands.nxDomainRedirect(r.link.id) },
        ),
      );
      return { status: 'unhealthy', findings: [f] };
    }
    if (answer.kind === 'records') {
      const f = once(`unreached|${answer.recordId}|${site.vnetId}`, () =>
        finding(
          'DNS_UNREACHED_ENDPOINT',
          `${vault.host} resolves in ${site.vnetId} to ${answer.ips.join(', ')} (record ${answer.recordId}), an endpoint this VNet does not reach.`,
          { address: answer.ips[0] ?? '', expected: [], resolver: 'dns' },
          { resourceId: answer.recordId, fix: commands.createEndpoint(vault.id, vault.name, site.vnetId) },
        ),
      );
      return { status: 'unhealthy', findings: [f] };
    }
    return HEALTHY;
  }
  // private: the VNet must resolve the vault to a usable endpoint it reaches.
  const want = expectation.ips;
  if (want.length === 0) return { status: 'unhealthy', findings: [] };
  if (answer.kind === 'records') {
    if (answer.ips.length > 0 && answer.ips.every((ip) => want.includes(ip))) return HEALTHY;
    const stale = answer.ips.find((ip) => !want.includes(ip)) ?? '';
    const f = once(`stale|${answer.recordId}`, () =>
      finding(
        'ZONE_RECORD_STALE',
        `Record ${answer.recordId} answers ${answer.ips.join(', ')} for ${vault.host}; this VNet must get ${want.join(', ')}.`,
        { zone: answer.recordId.replace(/\/A\/[^/]+$/i, ''), record: answer.recordId, address: stale },
        { resourceId: answer.recordId, fix: commands.removeRecordIp(answer.recordId, stale) },
      ),
    );
    return { status: 'unhealthy', findings: [f] };
  }
  const holding = holdingZone(facts, v, want);
  if (answer.kind === 'public' && holding && r.kind !== 'zone') {
    const vnet = r.kind === 'public' ? r.vnetId : site.vnetId;
    const f = once(`link|${holding.id}|${vnet.toLowerCase()}`, () =>
      finding(
        'ZONE_NOT_LINKED',
        `Zone ${holding.name} (${holding.resourceGroup}) is not linked to ${vnet}, whose Azure DNS answers for ${site.vnetId === vnet ? 'it' : site.vnetId}; it is linked to ${holding.links.map((l) => l.virtualNetworkId).join(', ') || 'no VNet'}.`,
        { zone: holding.id, vnetId: vnet, linkedVnets: holding.links.map((l) => l.virtualNetworkId) },
        { resourceId: holding.id, fix: commands.linkZone(holding.id, vnet) },
      ),
    );
    return { status: 'unhealthy', findings: [f] };
  }
  const zone = r.kind === 'zone' ? r.zone : facts.zonesNamed(v.zoneName)[0];
  const address = want[0] ?? '';
  const f = once(`missing|${zone?.id ?? vault.id}|${v.label}`, () =>
    finding(
      'ZONE_RECORD_MISSING',
      `No zone ${v.zoneName} that ${site.vnetId} resolves through holds ${v.label} → ${address}.`,
      { address, zones: zone ? [zone.id] : [] },
      {
        resourceId: zone?.id ?? vault.id,
        ...(zone
          ? { fix: commands.addRecordIp(zone.id, v.label, address) }
          : { confirm: commands.nslookup(vault.host) }),
      },
    ),
  );
  return { status: 'unhealthy', findings: [f] };
}

/**
 * The site expectation of a vault from a VNet, computed once per class of equivalent VNets: those that stand in
 * the same relation (itself, a peer, neither) to each of the vault's VNets, with the same transit. Without a
 * known VNet for each endpoint, the expectation is computed for the VNet itself.
 */
export class Expectations {
  /** Per vault (by index): the expectation of each class, keyed by the class as a number. */
  private readonly memo: Map<number, SiteExpectation>[] = [];
  private readonly near = new WeakMap<Site, { self: string; peers: Set<string>; transit: boolean }>();

  of(v: EstateVault, vaultIndex: number, site: Site): SiteExpectation {
    if (!v.vnets || !site.vnet) return siteExpectation(v.expected, site);
    const n = this.nearOf(site);
    // Base 3 per vault VNet (0 neither, 1 itself, 2 a peer), after the transit bit.
    let key = n.transit ? 1 : 0;
    for (const id of v.vnets) key = key * 3 + (id === n.self ? 1 : n.peers.has(id) ? 2 : 0);
    const memo = (this.memo[vaultIndex] ??= new Map<number, SiteExpectation>());
    let e = memo.get(key);
    if (!e) {
      e = siteExpectation(v.expected, site);
      memo.set(key, e);
    }
    return e;
  }

  private nearOf(site: Site): { self: string; peers: Set<string>; transit: boolean } {
    let n = this.near.get(site);
    if (!n) {
      const connected = (site.vnet?.peerings ?? []).filter(
        (p) => p.state === undefined || p.state.toLowerCase() === 'connected',
      );
      n = {
        self: site.vnetId.toLowerCase(),
        peers: new Set(connected.map((p) => p.remoteVirtualNetworkId.toLowerCase())),
        transit: connected.some((p) => p.useRemoteGateways === true || isVirtualWanHubPeer(p.remoteVirtualNetworkId)),
      };
      this.near.set(site, n);
    }
    return n;
  }
}
