import { inPrefix } from '../ip';
import type { ForwardingRulesetRecord, InboundEndpointRecord, PrivateDnsZoneRecord, Site } from '../types';

/**
 * How a VNet resolves a name, as Azure applies it: pure functions over what ARM describes, called by the zone-links
 * check, the Azure DNS gate and the estate map. No I/O; every input is plain data.
 * - Azure-provided DNS (no custom DNS servers): the private DNS zones linked to the VNet answer for their names;
 *   else the DNS forwarding rulesets linked to the VNet forward matching names to their targets; else the name
 *   resolves publicly.
 * - Custom DNS that is a DNS Private Resolver inbound endpoint, or a rule's target that is one: the name resolves as the
 *   resolver's VNet resolves it, the rulesets linked to that VNet first (issue 20); a rule there that sends the name
 *   back to an inbound endpoint of that VNet is a resolution loop.
 * - Custom DNS inside the VNet or a peer: that VNet's links answer where the server forwards to Azure DNS.
 */

/** The view of a VNet that decides how it resolves names: a `Site`, or a VNet of the estate judged like one. */
export type ResolutionView = Pick<Site, 'vnetId' | 'vnet' | 'rulesets' | 'inboundEndpoints' | 'resolverRulesets'>;

/** A forwarding rule as read, with the ruleset it belongs to. */
export type ForwardingRule = ForwardingRulesetRecord['rules'][number] & { readonly rulesetId: string };

/** A zone's virtual network link. */
export type ZoneLink = PrivateDnsZoneRecord['links'][number];

export const bare = (name: string): string => name.toLowerCase().replace(/\.$/, '');

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
  'windowsazure.us',
  'microsoft.com',
];

/** A target as a rule or a VNet names it, without the port. */
export const hostOf = (server: string): string => server.replace(/:\d+$/, '');

export const under = (n: string, d: string): boolean => n === d || n.endsWith(`.${d}`);

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
 * The VNets whose zone links serve the view's resolution of `names`: the VNet itself; the VNet where a query to one of
 * its custom DNS servers is answered (a resolver's inbound endpoint: as its VNet resolves, after the rulesets linked
 * there; another server: the VNet or peer that holds it); and, where a forwarding ruleset linked to the VNet forwards
 * one of the names, where the rule's targets answer. Lower-cased, without repeats; a loop serves from nowhere.
 */
export function servingVnets(view: ResolutionView, names: readonly string[]): string[] {
  const out = [view.vnetId.toLowerCase()];
  const reached = (server: string, name: string): string[] => {
    if (!inboundAt(view, server)) return vnetsOfServer(server, view);
    const a = arriveAt(server, view, name, new Set());
    return a.kind === 'vnet' ? [a.vnetId] : [];
  };
  for (const server of view.vnet?.dnsServers ?? []) {
    // Without a name no rule applies: the server's own VNet.
    if (names.length === 0) out.push(...vnetsOfServer(hostOf(server), view));
    for (const n of names) out.push(...reached(hostOf(server), n));
  }
  // Per name, only the longest matching domain's rule applies (issue 20).
  for (const n of names)
    for (const target of bestRule(view.rulesets ?? [], [n])?.targets ?? []) out.push(...reached(hostOf(target), n));
  return [...new Set(out)];
}

/**
 * A resolution loop (issue 20; FACTS.md, DNS Private Resolver): at an inbound endpoint's VNet, a rule of a ruleset
 * linked to that VNet sends the query to an inbound endpoint of the same VNet (or of one the query has passed).
 */
export interface ForwardingLoop {
  readonly rule: ForwardingRule;
  /** The VNet the ruleset is linked to, where the query arrived (lower-cased). */
  readonly vnetId: string;
  /** The ruleset's link to that VNet, when its ID was read. */
  readonly linkId: string | undefined;
  /** The inbound endpoint the rule sends the query back to. */
  readonly endpoint: InboundEndpointRecord;
  /** The rule's target that is that endpoint, as the rule names it (`10.1.0.70` or `10.1.0.70:53`). */
  readonly target: string;
}

/** Where a query ends: a VNet whose zone links answer, a server ARM cannot describe, or a loop. */
export type Arrival =
  | { readonly kind: 'vnet'; readonly vnetId: string }
  | { readonly kind: 'server'; readonly server: string }
  | { readonly kind: 'loop'; readonly loop: ForwardingLoop };

const inboundAt = (view: ResolutionView, server: string): InboundEndpointRecord | undefined =>
  (view.inboundEndpoints ?? []).find((e) => e.ips.includes(server));

/** The rulesets linked to `vnetId` (lower-cased): the view's own, or those read for a resolver's VNet. */
function rulesetsAt(view: ResolutionView, vnetId: string): readonly ForwardingRulesetRecord[] {
  if (vnetId === view.vnetId.toLowerCase()) return view.rulesets ?? [];
  return (view.resolverRulesets ?? []).filter((r) => r.linkedVnets.some((v) => v.toLowerCase() === vnetId));
}

/**
 * A query for `name` sent to `server`: an inbound endpoint processes it as its VNet resolves, the longest matching
 * rule of the rulesets linked there first (FACTS.md: "all DNS traffic sent to the inbound endpoint is processed by
 * the ruleset"), then that VNet's zone links; any other server answers from where it sits.
 */
function arriveAt(server: string, view: ResolutionView, name: string, seen: Set<string>): Arrival {
  const inbound = inboundAt(view, server);
  if (!inbound) {
    const vnet = vnetsOfServer(server, view)[0];
    return vnet ? { kind: 'vnet', vnetId: vnet } : { kind: 'server', server };
  }
  const at = inbound.virtualNetworkId.toLowerCase();
  const rulesets = rulesetsAt(view, at);
  const rule = bestRule(rulesets, [name]);
  const target = rule?.targets[0];
  if (!rule || !target) return { kind: 'vnet', vnetId: at };
  seen.add(at);
  const next = inboundAt(view, hostOf(target));
  if (next && seen.has(next.virtualNetworkId.toLowerCase())) {
    const ruleset = rulesets.find((r) => r.id === rule.rulesetId);
    const link = ruleset?.links?.find((l) => l.virtualNetworkId.toLowerCase() === at);
    return { kind: 'loop', loop: { rule, vnetId: at, linkId: link?.id, endpoint: next, target } };
  }
  return arriveAt(hostOf(target), view, name, seen);
}

/**
 * Where the view's query for `name` is answered (issue 20): at its first custom DNS server, else where the longest
 * matching rule of its rulesets sends it, else at the VNet itself (Azure DNS there with its zone links).
 */
export function arrivalOf(view: ResolutionView, name: string): Arrival {
  const first = view.vnet?.dnsServers[0];
  if (first) return arriveAt(hostOf(first), view, name, new Set());
  const target = bestRule(view.rulesets ?? [], [name])?.targets[0];
  if (target) return arriveAt(hostOf(target), view, name, new Set([view.vnetId.toLowerCase()]));
  return { kind: 'vnet', vnetId: view.vnetId.toLowerCase() };
}

/**
 * The VNet whose zone links answer the view's queries for `name` (issue 20): see `arrivalOf`. Undefined where the
 * query ends at a server ARM does not describe, or loops.
 */
export function resolvingVnet(view: ResolutionView, name: string): string | undefined {
  const a = arrivalOf(view, name);
  return a.kind === 'vnet' ? a.vnetId : undefined;
}

/** The resolution loops the view's queries for `names` run into, one per rule and VNet. */
export function loopsOf(view: ResolutionView, names: readonly string[]): ForwardingLoop[] {
  const out = new Map<string, ForwardingLoop>();
  for (const n of names) {
    const a = arrivalOf(view, n);
    if (a.kind === 'loop') out.set(`${a.loop.rule.rulesetId}|${a.loop.rule.name}|${a.loop.vnetId}`, a.loop);
  }
  return [...out.values()];
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

/** The rule that applies to one of the names: the longest matching domain wins (FACTS.md, DNS Private Resolver). */
export function bestRule(
  rulesets: readonly ForwardingRulesetRecord[],
  names: readonly string[],
): ForwardingRule | undefined {
  const rules = names.flatMap((n) => forwardingRulesFor(rulesets, n));
  return rules.sort((a, b) => bare(b.domainName).length - bare(a.domainName).length)[0];
}
