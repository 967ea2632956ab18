import type { ForwardingRule, InboundEndpoint, VirtualNetworkLink } from '@azure/arm-dnsresolver';
import type { ForwardingRulesetRecord, InboundEndpointRecord } from '../probe/types';

/** Pure mappers from @azure/arm-dnsresolver models to the engine's records. */

/** A forwarding ruleset from its rules and VNet links (the ruleset resource itself carries neither). */
export function mapForwardingRuleset(
  id: string,
  rules: readonly ForwardingRule[],
  links: readonly VirtualNetworkLink[],
): ForwardingRulesetRecord {
  return {
    id,
    rules: rules.map((r) => ({
      name: r.name ?? '',
      domainName: (r.domainName ?? '').toLowerCase(),
      targets: (r.targetDnsServers ?? []).flatMap((t) => (t.ipAddress ? [t.ipAddress] : [])),
      // forwardingRuleState: absent means Enabled (the service's default).
      enabled: (r.forwardingRuleState ?? 'Enabled').toLowerCase() === 'enabled',
    })),
    linkedVnets: links.flatMap((l) => (l.virtualNetwork?.id ? [l.virtualNetwork.id] : [])),
    links: links.flatMap((l) =>
      l.id && l.virtualNetwork?.id ? [{ id: l.id, virtualNetworkId: l.virtualNetwork.id }] : [],
    ),
  };
}

/** An inbound endpoint with the VNet of its resolver: queries to its IPs resolve with that VNet's zone links. */
export function mapInboundEndpoint(endpoint: InboundEndpoint, resolverVnetId: string): InboundEndpointRecord {
  return {
    id: endpoint.id ?? '',
    ips: (endpoint.ipConfigurations ?? []).flatMap((c) => (c.privateIpAddress ? [c.privateIpAddress] : [])),
    virtualNetworkId: resolverVnetId,
  };
}
