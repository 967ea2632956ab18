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

/** True when a forwarding rule for `domain` (`vault.azure.net.`; `.` for every name) applies to `name`. */
export function ruleApplies(domain: string, name: string): boolean {
  const d = bare(domain);
  const n = bare(name);
  return d === '' || n === d || n.endsWith(`.${d}`);
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
  const rules = names.flatMap((n) => forwardingRulesFor(view.rulesets ?? [], n));
  for (const rule of rules) for (const target of rule.targets) out.push(...vnetsOfServer(target, view));
  return [...new Set(out)];
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
