import type { AzureFirewall, FirewallPolicy, VirtualNetwork } from '@azure/arm-network';
import type { DnsForwardingRuleset, ForwardingRule, VirtualNetworkLink } from '@azure/arm-dnsresolver';
import type { FirewallPolicyRecord, FirewallRecord, NetworkFacts, NetworkReads } from '../probe/estate';
import { InventoryError, readableId, type Inventory } from '../probe/inventory';
import { vnetOfSubnet } from '../probe/expectation';
import type { ArmReadError, ForwardingRulesetRecord } from '../probe/types';
import type { ArmClients } from './arm-clients';
import { guard } from './arm-errors';
import { collectPages } from './arm-http';
import { mapVirtualNetwork } from './arm-mappers';
import { mapForwardingRuleset } from './dns-resolver-mappers';

/** An Azure Firewall's VNet, private IPs and policy, from its IP configurations. */
export function mapFirewall(fw: AzureFirewall): FirewallRecord {
  const configs = fw.ipConfigurations ?? [];
  const subnet = configs.find((c) => c.subnet?.id)?.subnet?.id;
  return {
    id: fw.id ?? '',
    virtualNetworkId: vnetOfSubnet(subnet),
    privateIps: configs.flatMap((c) => (c.privateIPAddress ? [c.privateIPAddress] : [])),
    policyId: fw.firewallPolicy?.id,
  };
}

/** A firewall policy's DNS settings: DNS proxy on or off, and its DNS servers (none: Azure-provided DNS). */
export function mapFirewallPolicy(p: FirewallPolicy): FirewallPolicyRecord {
  return { id: p.id ?? '', dnsProxy: p.dnsSettings?.enableProxy === true, dnsServers: p.dnsSettings?.servers ?? [] };
}

function readError(error: unknown, operation: string, id: string): ArmReadError {
  if (error instanceof InventoryError)
    return { operation, resourceId: id, statusCode: error.statusCode, code: error.code, message: error.message };
  return { operation, resourceId: id, statusCode: undefined, code: undefined, message: String(error) };
}

/**
 * The estate's network facts through the ARM SDKs, one list per type and subscription: VNets (with peerings and
 * DNS servers), DNS forwarding rulesets (each with its rules and VNet links), Azure Firewalls and firewall
 * policies; the privatelink zones (with links and records) and the resolvers' inbound endpoints through the run's
 * inventory, whose lists they share. A failed list is kept as an error and the rest goes on.
 */
export class ArmNetworkReads implements NetworkReads {
  constructor(
    private readonly clients: ArmClients,
    private readonly inventory: Pick<Inventory, 'listPrivateDnsZones' | 'listInboundEndpoints'>,
  ) {}

  async read(
    subscriptionIds: readonly string[],
    zoneNames: readonly string[],
    signal: AbortSignal,
  ): Promise<NetworkFacts> {
    const errors: ArmReadError[] = [];
    const attempt = async <T>(operation: string, id: string, read: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await guard(operation, id, read);
      } catch (error) {
        if (signal.aborted) throw error;
        errors.push(readError(error, operation, id));
        return [];
      }
    };
    const perSub = await Promise.all(
      subscriptionIds.map(async (sub) => {
        const scope = `/subscriptions/${sub}`;
        const [vnets, rulesets, firewalls, policies, zones] = await Promise.all([
          attempt('list virtual networks', scope, () =>
            this.list<VirtualNetwork>((s) => this.clients.net(s).virtualNetworks.listAll(this.clients.op(signal)), sub),
          ),
          attempt('list DNS forwarding rulesets', scope, () => this.rulesets(sub, signal)),
          attempt('list Azure Firewalls', scope, () =>
            this.list<AzureFirewall>((s) => this.clients.net(s).azureFirewalls.listAll(this.clients.op(signal)), sub),
          ),
          attempt('list firewall policies', scope, () =>
            this.list<FirewallPolicy>(
              (s) => this.clients.net(s).firewallPolicies.listAll(this.clients.op(signal)),
              sub,
            ),
          ),
          attempt('list private DNS zones', scope, () => this.inventory.listPrivateDnsZones(sub, zoneNames, signal)),
        ]);
        return { vnets, rulesets, firewalls, policies, zones };
      }),
    );
    const rulesets = perSub.flatMap((s) => s.rulesets);
    const vnets = perSub.flatMap((s) => s.vnets.map(mapVirtualNetwork));
    // The inbound endpoints only matter where a VNet or a rule can send a query to one.
    const needInbound = rulesets.length > 0 || vnets.some((v) => v.dnsServers.length > 0);
    const inboundEndpoints = needInbound
      ? await attempt('list DNS resolvers', 'scope', () => this.inventory.listInboundEndpoints(subscriptionIds, signal))
      : [];
    return {
      vnets,
      zones: perSub.flatMap((s) => s.zones),
      rulesets,
      inboundEndpoints,
      firewalls: perSub.flatMap((s) => s.firewalls.map(mapFirewall)),
      firewallPolicies: perSub.flatMap((s) => s.policies.map(mapFirewallPolicy)),
      errors,
    };
  }

  private async list<T>(
    iterate: (sub: string) => { byPage(): AsyncIterable<T[] & { continuationToken?: string }> },
    sub: string,
  ): Promise<T[]> {
    const out: T[] = [];
    await collectPages(iterate(sub).byPage(), this.clients.origin, (x) => void out.push(x));
    return out;
  }

  /** The subscription's rulesets, then each one's rules and VNet links (two lists per ruleset: rulesets are few). */
  private async rulesets(sub: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]> {
    const client = this.clients.resolver(sub);
    const sets = await this.list<DnsForwardingRuleset>(
      () => client.dnsForwardingRulesets.list(this.clients.op(signal)),
      sub,
    );
    return Promise.all(
      sets.map(async (rs) => {
        const p = readableId(rs.id ?? '', 'list DNS forwarding rules');
        const c = this.clients.resolver(p.subscriptionId);
        const [rules, links] = await Promise.all([
          this.list<ForwardingRule>(
            () => c.forwardingRules.list(p.resourceGroup, p.name, this.clients.op(signal)),
            sub,
          ),
          this.list<VirtualNetworkLink>(
            () => c.virtualNetworkLinks.list(p.resourceGroup, p.name, this.clients.op(signal)),
            sub,
          ),
        ]);
        return mapForwardingRuleset(rs.id ?? '', rules, links);
      }),
    );
  }
}
