import { inPrefix } from './ip';
import type { ForwardingRulesetRecord, PrivateDnsZoneRecord, Site } from './types';

/**
 * How a VNet resolves a name, as Azure applies it: pure functions over what ARM describes, called by the zone-links
 * check, the Azure DNS gate and the estate map. No I/O; every input is plain data.
 * - Azure-provided DNS (no custom DNS servers): the private DNS zones linked to the VNet answer for their names;
 *   else the DNS forwarding rulesets linked to the VNet forward matching names to their targets; else the name
 *   resolves publicly.
 * - Custom DNS that is a DNS Private Resolver inbound endpoint: the name resolves as the resolver's VNet resolves it.
 * - Custom DNS inside the VNet or a peer: that VNet's links answer where the server forwards to Azure DNS.
 */

/** The view of a VNet that decides how it resolves names: a `Site`, or a VNet of the estate judged like one. */
export type ResolutionView = Pick<Site, 'vnetId' | 'vnet' | 'rulesets' | 'inboundEndpoints'>;

/** A forwarding rule as read, with the ruleset it belongs to. */
export type ForwardingRule = ForwardingRulesetRecord['rules'][number] & { readonly rulesetId: string };

/** A zone's virtual network link. */
export type ZoneLink = PrivateDnsZoneRecord['links'][number];

const bare = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * Azure's reserved domains: a wildcard `.` rule does not apply to names under them (DNS Private Resolver endpoints
 * and rulesets, "Rules"; FACTS.md). They resolve as the VNet resolves them unless a rule names them.
 */
export const RESERVED_DOMAINS: readonly string[] = [
  'azure.net',
  'azure.com',
  'windows.net',
  'azure-api.net',
  'azure.cn',
  'chinacloudapi.cn',
  'usgovcloudapi.net',
  'microsoft.com',
];

const under = (n: string, d: string): boolean => n === d || n.endsWith(`.${d}`);

/** True when a forwarding rule for `domain` (`vault.azure.net.`; `.` for every name but reserved ones) applies. */
export function ruleApplies(domain: string, name: string): boolean {
  const d = bare(domain);
  const n = bare(name);
  if (d === '') return !RESERVED_DOMAINS.some((r) => under(n, r));
  return under(n, d);
}

/** The enabled rules of the rulesets that apply to `name`, in ruleset and rule order. */
export function forwardingRulesFor(rulesets: readonly ForwardingRulesetRecord[], name: string): ForwardingRule[] {
  return rulesets.flatMap((ruleset) =>
    ruleset.rules
      .filter((r) => r.enabled && ruleApplies(r.domainName, name))
      .map((r) => ({ ...r, rulesetId: ruleset.id })),
  );
}

/**
 * The VNets that answer for queries the view's VNet sends to `server`: a resolver's inbound endpoint holding it,
 * else the VNet itself or the peers whose address space holds it. Lower-cased; empty when none is known.
 */
export function vnetsOfServer(server: string, view: ResolutionView): string[] {
  const viaInbound = (view.inboundEndpoints ?? [])
    .filter((e) => e.ips.includes(server))
    .map((e) => e.virtualNetworkId.toLowerCase());
  if (viaInbound.length > 0) return viaInbound;
  const vnet = view.vnet;
  if (vnet?.addressPrefixes.some((p) => inPrefix(server, p))) return [vnet.id.toLowerCase()];
  return (vnet?.peerings ?? [])
    .filter((p) => p.remoteAddressPrefixes.some((prefix) => inPrefix(server, prefix)))
    .map((p) => p.remoteVirtualNetworkId.toLowerCase());
}

/**
 * The VNets whose zone links serve the view's resolution of `names`: the VNet itself; a VNet that holds one of its
 * custom DNS servers (the resolver there answers with that VNet's links); and, where a forwarding ruleset linked to
 * the VNet forwards one of the names, the VNets of the rule's target servers (a DNS Private Resolver's inbound
 * endpoint). Lower-cased, without repeats.
 */
export function servingVnets(view: ResolutionView, names: readonly string[]): string[] {
  const out = [view.vnetId.toLowerCase()];
  for (const server of view.vnet?.dnsServers ?? []) out.push(...vnetsOfServer(server, view));
  // Per name, only the longest matching domain's rule applies (issue 20).
  const rules = names.flatMap((n) => bestRule(view.rulesets ?? [], [n]) ?? []);
  for (const rule of rules) for (const target of rule.targets) out.push(...vnetsOfServer(target, view));
  return [...new Set(out)];
}

/**
 * The VNet whose zone links answer the view's queries for `name` (issue 20): the VNet of its first custom DNS server
 * where it uses custom DNS, else the VNet of the inbound endpoint the longest matching forwarding rule sends it to,
 * else the VNet itself (Azure DNS there). Undefined where a server or target is none ARM describes.
 */
export function resolvingVnet(view: ResolutionView, name: string): string | undefined {
  const first = view.vnet?.dnsServers[0];
  if (first) return vnetsOfServer(hostOf(first), view)[0];
  const rule = bestRule(view.rulesets ?? [], [name]);
  const target = rule?.targets[0];
  if (rule && target) return vnetsOfServer(hostOf(target), view)[0];
  return view.vnetId.toLowerCase();
}

/** The zone's link to one of `vnets` (lower-cased IDs), if any. */
export function linkTo(zone: PrivateDnsZoneRecord, vnets: readonly string[]): ZoneLink | undefined {
  return zone.links.find((l) => vnets.includes(l.virtualNetworkId.toLowerCase()));
}

/**
 * Whether Azure DNS (168.63.129.16), asked directly from the view's VNet, answers as that VNet resolves `zoneName`:
 * the VNet uses Azure-provided DNS, or a zone of that name is linked to it. False for custom DNS in a VNet the zone is
 * not linked to (Azure DNS then answers the public chain by design). Undefined when the VNet is not known.
 */
export function azureDnsServes(
  view: ResolutionView,
  zones: readonly PrivateDnsZoneRecord[],
  zoneName: string,
): boolean | undefined {
  if (!view.vnet) return undefined;
  if (view.vnet.dnsServers.length === 0) return true;
  const vnetId = view.vnetId.toLowerCase();
  return zones.some((z) => z.name === zoneName && linkTo(z, [vnetId]) !== undefined);
}

// ---- The chain: which object answers a zone's names for a VNet (the estate map, and calibration at a site) ----

/** Azure-provided DNS, the virtual address every VNet reaches. */
export const AZURE_PROVIDED_DNS = '168.63.129.16';

/** An Azure Firewall, as a DNS server: with DNS proxy on, it resolves through its policy's DNS servers. */
export interface DnsProxy {
  readonly firewallId: string;
  readonly virtualNetworkId: string | undefined;
  readonly policyId: string | undefined;
  /** DNS proxy on: the firewall answers DNS on its private IP. */
  readonly enabled: boolean;
  /** The policy's DNS servers; empty: Azure-provided DNS, as the firewall's VNet resolves. */
  readonly servers: readonly string[];
}

/** What ARM says about how names resolve across the estate, looked up by ID or address. */
export interface ResolverFacts {
  vnet(id: string): ResolutionView['vnet'];
  rulesetsLinkedTo(vnetId: string): readonly ForwardingRulesetRecord[];
  zonesNamed(name: string): readonly PrivateDnsZoneRecord[];
  inboundAt(address: string): NonNullable<ResolutionView['inboundEndpoints']>[number] | undefined;
  dnsProxyAt(address: string): DnsProxy | undefined;
}

/** Who answers a zone's names for a VNet. */
export type Resolver =
  /** A zone linked to `vnetId`, the VNet whose Azure DNS answers. */
  | { readonly kind: 'zone'; readonly zone: PrivateDnsZoneRecord; readonly link: ZoneLink; readonly vnetId: string }
  /** Azure DNS at `vnetId`, with no zone of that name linked and no rule forwarding it: the public chain. */
  | { readonly kind: 'public'; readonly vnetId: string }
  /** A DNS server ARM cannot describe (a VM, an on-premises server): only asking it tells. */
  | { readonly kind: 'server'; readonly server: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface ZoneResolution {
  readonly resolver: Resolver;
  /** The resource IDs that decided, in the order a query meets them. */
  readonly chain: readonly string[];
}

/** The rule that applies to one of the names: the longest matching domain wins (FACTS.md, DNS Private Resolver). */
export function bestRule(
  rulesets: readonly ForwardingRulesetRecord[],
  names: readonly string[],
): ForwardingRule | undefined {
  const rules = names.flatMap((n) => forwardingRulesFor(rulesets, n));
  return rules.sort((a, b) => bare(b.domainName).length - bare(a.domainName).length)[0];
}

/** A target as a rule or a VNet names it, without the port. */
const hostOf = (server: string): string => server.replace(/:\d+$/, '');

interface Walk {
  readonly zoneName: string;
  readonly names: readonly string[];
  readonly facts: ResolverFacts;
  readonly chain: string[];
  readonly seen: Set<string>;
}

/** Azure DNS at `vnetId`, per name as a query meets it: a linked zone holding it, else a rule (FACTS.md); else public. */
function atAzureDns(at: string, w: Walk): ZoneResolution {
  // The VNet's own ID as ARM spells it (a firewall's subnet gives it lower-cased), and it joins the chain.
  const vnetId = w.facts.vnet(at)?.id ?? at;
  const key = vnetId.toLowerCase();
  if (w.chain.at(-1)?.toLowerCase() !== key) w.chain.push(vnetId);
  if (w.seen.has(key))
    return { resolver: { kind: 'unknown', reason: `the chain loops back to ${vnetId}` }, chain: w.chain };
  w.seen.add(key);
  const rulesets = w.facts.rulesetsLinkedTo(vnetId);
  for (const name of w.names) {
    const holds = under(bare(name), bare(w.zoneName));
    const zone = holds ? w.facts.zonesNamed(w.zoneName).find((z) => linkTo(z, [key])) : undefined;
    const link = zone && linkTo(zone, [key]);
    if (zone && link) {
      w.chain.push(link.id, zone.id);
      return { resolver: { kind: 'zone', zone, link, vnetId }, chain: w.chain };
    }
    const rule = bestRule(rulesets, [name]);
    const target = rule?.targets[0];
    if (rule && target) {
      w.chain.push(`${rule.rulesetId}/forwardingRules/${rule.name}`);
      return atServer(hostOf(target), vnetId, w);
    }
  }
  return { resolver: { kind: 'public', vnetId }, chain: w.chain };
}

/** A query sent to `server` from `fromVnet`: Azure DNS, a resolver's inbound endpoint, a firewall's DNS proxy. */
function atServer(server: string, fromVnet: string, w: Walk): ZoneResolution {
  if (server === AZURE_PROVIDED_DNS) return atAzureDns(fromVnet, w);
  const inbound = w.facts.inboundAt(server);
  if (inbound) {
    w.chain.push(inbound.id);
    return atAzureDns(inbound.virtualNetworkId, w);
  }
  const proxy = w.facts.dnsProxyAt(server);
  if (proxy) {
    w.chain.push(proxy.firewallId, ...(proxy.policyId ? [proxy.policyId] : []));
    if (!proxy.enabled || !proxy.virtualNetworkId)
      return {
        resolver: { kind: 'unknown', reason: `firewall ${proxy.firewallId} has DNS proxy off` },
        chain: w.chain,
      };
    const next = proxy.servers[0];
    return next ? atServer(hostOf(next), proxy.virtualNetworkId, w) : atAzureDns(proxy.virtualNetworkId, w);
  }
  return { resolver: { kind: 'server', server }, chain: w.chain };
}

/**
 * How `vnetId` resolves the names of `zoneName` (`names`: a vault host and its privatelink name): the VNet's first
 * DNS server (clients use the first that answers), or Azure-provided DNS, followed through inbound endpoints,
 * forwarding rules and firewall DNS proxies to the zone link that answers, the public chain, or a server ARM
 * cannot describe.
 */
export function resolveZone(
  vnetId: string,
  zoneName: string,
  names: readonly string[],
  facts: ResolverFacts,
): ZoneResolution {
  const vnet = facts.vnet(vnetId);
  if (!vnet) return { resolver: { kind: 'unknown', reason: `VNet ${vnetId} was not read` }, chain: [] };
  const w: Walk = { zoneName, names, facts, chain: [vnet.id], seen: new Set() };
  const first = vnet.dnsServers[0];
  return first ? atServer(hostOf(first), vnet.id, w) : atAzureDns(vnet.id, w);
}

type ARecord = PrivateDnsZoneRecord['aRecords'][number];
const recordIndex = new WeakMap<PrivateDnsZoneRecord, Map<string, ARecord>>();

/** The zone's A records by lower-cased name, built once per zone record (thousands of vaults share a zone). */
export function recordsOf(zone: PrivateDnsZoneRecord): Map<string, ARecord> {
  let index = recordIndex.get(zone);
  if (!index) {
    index = new Map(zone.aRecords.map((a) => [a.name.toLowerCase(), a]));
    recordIndex.set(zone, index);
  }
  return index;
}

/** What a vault's name resolves to through a zone resolution. */
export type Answer =
  | { readonly kind: 'records'; readonly ips: readonly string[]; readonly recordId: string }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'public' }
  | { readonly kind: 'server'; readonly server: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * The answer for the vault whose privatelink label is `label`: the linked zone's record; without it NXDOMAIN, or
 * the public chain where the link's resolution policy is NxDomainRedirect (FACTS.md, private DNS fallback).
 */
export function answerFor(resolution: ZoneResolution, label: string): Answer {
  const r = resolution.resolver;
  if (r.kind === 'public') return PUBLIC;
  if (r.kind === 'server') return { kind: 'server', server: r.server };
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  const record = recordsOf(r.zone).get(label.toLowerCase());
  if (record) {
    // One answer per record: an estate asks for each vault's from hundreds of VNets.
    let answer = answers.get(record);
    if (!answer) {
      answer = { kind: 'records', ips: record.ips, recordId: record.id };
      answers.set(record, answer);
    }
    return answer;
  }
  return (r.link.resolutionPolicy ?? '').toLowerCase() === 'nxdomainredirect' ? PUBLIC : NXDOMAIN;
}

const PUBLIC: Answer = { kind: 'public' };
const NXDOMAIN: Answer = { kind: 'nxdomain' };
const answers = new WeakMap<ARecord, Answer>();
