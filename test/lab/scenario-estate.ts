import type { ArmResource } from './arm-emulator';
import { labVnetId, SUB_APP, type Scenario } from './scenario';

/**
 * issue 25: the VNets of an estate besides the probe's, their peerings and DNS servers, the forwarding ruleset's
 * links, and Azure Firewalls with their policies' DNS settings. Zone links come from `probeVnet.zoneLinkedTo`, the
 * resolver and its ruleset from `probeVnet.privateResolver`. Shapes from the Microsoft.Network REST reference
 * (virtualNetworks, azureFirewalls, firewallPolicies 2024-05-01; dnsForwardingRulesets/virtualNetworkLinks).
 */
export interface EstateTopology {
  readonly vnets: readonly {
    readonly name: string;
    readonly addressPrefixes: readonly string[];
    /** Custom DNS servers; none: Azure-provided DNS. */
    readonly dnsServers?: readonly string[];
    /** Peered VNets by name (both directions are written). */
    readonly peers?: readonly string[];
  }[];
  /**
   * DNS servers on VMs that some VNet names as its DNS server (its `dnsServers`): the lab serves them on their own
   * address in namespace mode only, answering like `probeVnet.dnsServers` (public: forwards nowhere private).
   */
  readonly vmDnsServers?: readonly { readonly address: string; readonly answers: 'private' | 'public' }[];
  /** VNets (by name) the ruleset of `probeVnet.privateResolver` is linked to, besides the probe's. */
  readonly rulesetLinks?: readonly string[];
  readonly firewalls?: readonly {
    readonly name: string;
    readonly vnet: string;
    readonly privateIp: string;
    readonly dnsProxy: boolean;
    /** The policy's DNS servers; none: Azure-provided DNS. */
    readonly dnsServers?: readonly string[];
  }[];
}

const ok = { provisioningState: 'Succeeded' };

function peering(scenario: Scenario, from: string, to: string, prefixes: readonly string[]): Record<string, unknown> {
  return {
    id: `${labVnetId(scenario, from)}/virtualNetworkPeerings/to-${to}`,
    name: `to-${to}`,
    properties: {
      ...ok,
      peeringState: 'Connected',
      remoteVirtualNetwork: { id: labVnetId(scenario, to) },
      remoteAddressSpace: { addressPrefixes: [...prefixes] },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      useRemoteGateways: false,
    },
  };
}

/** The estate's VNets (peerings both ways), ruleset links, firewalls and policies as ARM returns them. */
export function estateResources(scenario: Scenario): ArmResource[] {
  const e = scenario.estate;
  if (!e) return [];
  const sub = scenario.subscriptions?.[0] ?? SUB_APP;
  const prefixes = new Map(e.vnets.map((v) => [v.name, v.addressPrefixes]));
  const peersOf = (name: string): string[] => [
    ...(e.vnets.find((v) => v.name === name)?.peers ?? []),
    ...e.vnets.filter((v) => v.peers?.includes(name)).map((v) => v.name),
  ];
  const out: ArmResource[] = e.vnets.map((v) => ({
    id: labVnetId(scenario, v.name),
    name: v.name,
    type: 'Microsoft.Network/virtualNetworks',
    location: 'westeurope',
    properties: {
      ...ok,
      addressSpace: { addressPrefixes: [...v.addressPrefixes] },
      dhcpOptions: { dnsServers: [...(v.dnsServers ?? [])] },
      subnets: [],
      virtualNetworkPeerings: [...new Set(peersOf(v.name))].map((p) =>
        peering(scenario, v.name, p, prefixes.get(p) ?? scenario.probeVnet?.addressPrefixes ?? []),
      ),
    },
  }));
  const ruleset = `/subscriptions/${sub}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/ruleset-spokes`;
  for (const name of e.rulesetLinks ?? [])
    out.push({
      id: `${ruleset}/virtualNetworkLinks/link-${name}`,
      name: `link-${name}`,
      type: 'Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks',
      properties: { ...ok, virtualNetwork: { id: labVnetId(scenario, name) }, metadata: {} },
    });
  for (const fw of e.firewalls ?? []) {
    const base = `/subscriptions/${sub}/resourceGroups/network/providers/Microsoft.Network`;
    const policy = `${base}/firewallPolicies/policy-${fw.name}`;
    out.push(
      {
        id: `${base}/azureFirewalls/${fw.name}`,
        name: fw.name,
        type: 'Microsoft.Network/azureFirewalls',
        location: 'westeurope',
        properties: {
          ...ok,
          sku: { name: 'AZFW_VNet', tier: 'Standard' },
          ipConfigurations: [
            {
              id: `${base}/azureFirewalls/${fw.name}/azureFirewallIpConfigurations/ipconfig`,
              name: 'ipconfig',
              properties: {
                privateIPAddress: fw.privateIp,
                subnet: { id: `${labVnetId(scenario, fw.vnet)}/subnets/AzureFirewallSubnet` },
              },
            },
          ],
          firewallPolicy: { id: policy },
        },
      },
      {
        id: policy,
        name: `policy-${fw.name}`,
        type: 'Microsoft.Network/firewallPolicies',
        location: 'westeurope',
        properties: {
          ...ok,
          sku: { tier: 'Standard' },
          dnsSettings: { enableProxy: fw.dnsProxy, servers: [...(fw.dnsServers ?? [])] },
        },
      },
    );
  }
  return out;
}
