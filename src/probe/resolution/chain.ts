import type { ForwardingRulesetRecord, PrivateDnsZoneRecord } from '../types';
import { bare, bestRule, hostOf, linkTo, under, type ResolutionView, type ZoneLink } from './index';

/*
 * The chain: which object answers a zone's names for a VNet, across the estate (the estate map, and calibration at a
 * site), followed through inbound endpoints, forwarding rules and firewall DNS proxies with the rules of ./index.
 * A chain that comes back to a VNet it has passed (a resolution loop) ends as unknown.
 */
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
