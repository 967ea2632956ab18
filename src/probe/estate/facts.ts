import type { DnsProxy, ResolverFacts } from '../resolution/chain';
import type {
  ArmReadError,
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  PrivateDnsZoneRecord,
  Site,
  VirtualNetworkRecord,
} from '../types';

/** An Azure Firewall: the VNet it sits in, its private IPs (what a VNet names as DNS server), its policy. */
export interface FirewallRecord {
  readonly id: string;
  readonly virtualNetworkId: string | undefined;
  readonly privateIps: readonly string[];
  readonly policyId: string | undefined;
}

/** A firewall policy's DNS settings (`properties.dnsSettings`). */
export interface FirewallPolicyRecord {
  readonly id: string;
  /** `enableProxy`. */
  readonly dnsProxy: boolean;
  /** `servers`; empty: Azure-provided DNS. */
  readonly dnsServers: readonly string[];
}

/** The network facts of the estate, read in bulk: one list per type and subscription (or Resource Graph). */
export interface NetworkFacts {
  readonly vnets: readonly VirtualNetworkRecord[];
  /** The privatelink zones of the vault kinds (vaultcore, managedhsm), each with its links and A records. */
  readonly zones: readonly PrivateDnsZoneRecord[];
  readonly rulesets: readonly ForwardingRulesetRecord[];
  readonly inboundEndpoints: readonly InboundEndpointRecord[];
  readonly firewalls: readonly FirewallRecord[];
  readonly firewallPolicies: readonly FirewallPolicyRecord[];
  /** Lists that failed: what they would have said stays unknown. */
  readonly errors: readonly ArmReadError[];
}

/**
 * The estate's bulk read port, apart from the per-vault Inventory: reads are per run and per subscription, never per
 * VNet. `zoneNames`: the privatelink zones to read (with their links and records).
 */
export interface NetworkReads {
  read(subscriptionIds: readonly string[], zoneNames: readonly string[], signal: AbortSignal): Promise<NetworkFacts>;
}

const lower = (s: string): string => s.toLowerCase();

/** The facts indexed by ID and address, for the resolution module and for building each VNet's `Site`. */
export interface EstateIndex extends ResolverFacts {
  readonly facts: NetworkFacts;
  /** The `Site` of a VNet: judged like the VNet a probe runs in (no Virtual WAN or AVNM reads in bulk). */
  siteOf(vnetId: string): Site;
}

function group<T>(items: readonly T[], keys: (t: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of keys(item)) {
      const list = out.get(lower(k));
      if (list) list.push(item);
      else out.set(lower(k), [item]);
    }
  }
  return out;
}

/** Builds the index once per run. Pure. */
export function indexFacts(facts: NetworkFacts): EstateIndex {
  const vnets = new Map(facts.vnets.map((v) => [lower(v.id), v]));
  const rulesets = group(facts.rulesets, (r) => r.linkedVnets);
  const zones = group(facts.zones, (z) => [z.name]);
  const inbound = new Map(facts.inboundEndpoints.flatMap((e) => e.ips.map((ip) => [ip, e] as const)));
  const policies = new Map(facts.firewallPolicies.map((p) => [lower(p.id), p]));
  const proxies = new Map<string, DnsProxy>();
  for (const fw of facts.firewalls) {
    const policy = fw.policyId ? policies.get(lower(fw.policyId)) : undefined;
    const proxy: DnsProxy = {
      firewallId: fw.id,
      virtualNetworkId: fw.virtualNetworkId,
      policyId: fw.policyId,
      enabled: policy?.dnsProxy === true,
      servers: policy?.dnsServers ?? [],
    };
    for (const ip of fw.privateIps) proxies.set(ip, proxy);
  }
  const sites = new Map<string, Site>();
  return {
    facts,
    vnet: (id) => vnets.get(lower(id)),
    rulesetsLinkedTo: (id) => rulesets.get(lower(id)) ?? [],
    zonesNamed: (name) => zones.get(lower(name)) ?? [],
    inboundAt: (address) => inbound.get(address),
    dnsProxyAt: (address) => proxies.get(address),
    siteOf(vnetId) {
      const key = lower(vnetId);
      let site = sites.get(key);
      if (!site) {
        const vnet = vnets.get(key);
        site = {
          vnetId: vnet?.id ?? vnetId,
          ...(vnet ? { vnet } : {}),
          rulesets: rulesets.get(key) ?? [],
          inboundEndpoints: facts.inboundEndpoints,
          // issue 20: every ruleset of the estate; an arrival at an inbound endpoint takes those linked to its VNet.
          resolverRulesets: facts.rulesets,
        };
        sites.set(key, site);
      }
      return site;
    },
  };
}
