import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import { inPrefix } from '../ip';
import { hostLabel } from '../endpoints';
import { siteExpectation } from '../expectation';
import { resolvedAddresses } from '../report';
import type {
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  PrivateDnsZoneRecord,
  VirtualNetworkRecord,
} from '../types';
import type { CheckInput } from './check';

/** The VNet that answers for queries sent to `server`: a resolver's inbound endpoint, else the peer holding it. */
function vnetOfServer(
  server: string,
  vnet: VirtualNetworkRecord | undefined,
  inbound: readonly InboundEndpointRecord[],
): string[] {
  const viaInbound = inbound.filter((e) => e.ips.includes(server)).map((e) => e.virtualNetworkId.toLowerCase());
  if (viaInbound.length > 0) return viaInbound;
  if (vnet?.addressPrefixes.some((p) => inPrefix(server, p))) return [vnet.id.toLowerCase()];
  return (vnet?.peerings ?? [])
    .filter((p) => p.remoteAddressPrefixes.some((prefix) => inPrefix(server, prefix)))
    .map((p) => p.remoteVirtualNetworkId.toLowerCase());
}

/** True when a forwarding rule for `domain` (`vault.azure.net.`) applies to `name`. */
function ruleCovers(domain: string, name: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  return d === '' || n === d || n.endsWith(`.${d}`);
}

/**
 * The VNets whose zone links serve the probe's VNet: the VNet itself; a VNet that holds one of its custom DNS
 * servers (the resolver there answers with that VNet's links); and, where a DNS forwarding ruleset linked to this
 * VNet forwards the vault's names, the VNets of the rule's target servers (a DNS Private Resolver's inbound endpoint).
 */
export function servingVnets(
  vnetId: string,
  vnet: VirtualNetworkRecord | undefined,
  forwarding: {
    names?: readonly string[];
    rulesets?: readonly ForwardingRulesetRecord[];
    inbound?: readonly InboundEndpointRecord[];
  } = {},
): string[] {
  const out = [vnetId.toLowerCase()];
  const inbound = forwarding.inbound ?? [];
  for (const server of vnet?.dnsServers ?? []) out.push(...vnetOfServer(server, vnet, inbound));
  const names = forwarding.names ?? [];
  for (const ruleset of forwarding.rulesets ?? []) {
    for (const rule of ruleset.rules) {
      if (!rule.enabled || !names.some((n) => ruleCovers(rule.domainName, n))) continue;
      for (const target of rule.targets) out.push(...vnetOfServer(target, vnet, inbound));
    }
  }
  return [...new Set(out)];
}

function linkedTo(
  zone: PrivateDnsZoneRecord,
  vnets: readonly string[],
): PrivateDnsZoneRecord['links'][number] | undefined {
  return zone.links.find((l) => vnets.includes(l.virtualNetworkId.toLowerCase()));
}

/**
 * Where a forwarding ruleset is linked to the probe's VNet and a resolver's inbound endpoint sits in a VNet linked to
 * the zone, what is missing is the ruleset's rule for the vault's domain to that endpoint, not another zone link:
 * the forwarding rule, as the fix of ZONE_NOT_LINKED.
 */
function missingForwardingRule(
  zone: PrivateDnsZoneRecord,
  host: string,
  rulesets: readonly ForwardingRulesetRecord[] | undefined,
  inbound: readonly InboundEndpointRecord[] | undefined,
): { resourceId: string; fix: string; confirm: string; remediation: string } | undefined {
  const ruleset = rulesets?.[0];
  const linked = new Set(zone.links.map((l) => l.virtualNetworkId.toLowerCase()));
  const target = inbound?.find((e) => linked.has(e.virtualNetworkId.toLowerCase()) && e.ips.length > 0);
  if (!ruleset || !target) return undefined;
  const domain = `${host.split('.').slice(1).join('.')}.`;
  return {
    resourceId: ruleset.id,
    fix: commands.createForwardingRule(ruleset.id, domain, target.ips),
    confirm: commands.showRuleset(ruleset.id),
    remediation: `Ruleset ${ruleset.id.split('/').pop() ?? ''}, linked to this VNet, forwards no rule for ${domain} to the resolver whose VNet is linked to zone ${zone.name}: add that rule (to inbound endpoint ${target.ips.join(', ')}). Linking the zone to this VNet as well would also work, but against the hub-and-spoke design the ruleset serves.`,
  };
}

/**
 * ZONE_NOT_LINKED: resolution here drifted from what this site expects, the VNets that serve its resolution are
 * known (the probe's VNet was read), and the zone holding the right record is linked to none of them.
 * NXDOMAIN_SPLIT_BRAIN: the name is NXDOMAIN and a zone linked here lacks the vault's record.
 */
export function checkZoneLinks({ expected, observed, vnetId }: CheckInput): Finding[] {
  const zones = expected?.zones ?? [];
  if (!expected || !vnetId || zones.length === 0) return [];
  const label = hostLabel(observed.host);
  const site = siteExpectation(expected, vnetId);
  const names = [observed.host, `${label}.${zones[0]?.name ?? ''}`];
  const vnets = servingVnets(vnetId, expected.probeVnet, {
    names,
    ...(expected.rulesets ? { rulesets: expected.rulesets } : {}),
    ...(expected.inboundEndpoints ? { inbound: expected.inboundEndpoints } : {}),
  });
  const right = new Set(site.ips);
  const got = resolvedAddresses(observed.dns);
  const drifted =
    observed.dns.os.error !== undefined ||
    observed.dns.dns.error !== undefined ||
    got.length === 0 ||
    got.some((a) => !right.has(a));
  const findings: Finding[] = [];
  const holding = zones.filter((z) => z.aRecords.some((r) => r.name === label && r.ips.some((ip) => right.has(ip))));
  // Without the VNet's own record the serving VNets are unknown: saying "not linked" would be a guess.
  if (
    expected.probeVnet &&
    site.kind === 'private' &&
    drifted &&
    holding.length > 0 &&
    !holding.some((z) => linkedTo(z, vnets))
  ) {
    for (const zone of holding) {
      const rule = missingForwardingRule(zone, observed.host, expected.rulesets, expected.inboundEndpoints);
      findings.push(
        finding(
          'ZONE_NOT_LINKED',
          `Zone ${zone.name} (${zone.resourceGroup}) holds the right record for ${observed.host} but is not linked to ${vnets.length > 1 ? `this VNet or the VNet of its DNS servers (${vnets.join(', ')})` : `this VNet (${vnetId})`}; it is linked to ${zone.links.map((l) => l.virtualNetworkId).join(', ') || 'no VNet'}.`,
          { zone: zone.id, vnetId, linkedVnets: zone.links.map((l) => l.virtualNetworkId) },
          rule ?? {
            resourceId: zone.id,
            fix: commands.linkZone(zone.id, vnetId),
            confirm: commands.listZoneLinks(zone.id),
          },
        ),
      );
    }
  }
  // With a usable endpoint the fix is its record (ZONE_RECORD_MISSING); split-brain is about names meant to resolve
  // publicly (no endpoint for this network, a vault of another tenant) that a linked zone swallows.
  const nxdomain = observed.dns.os.error?.kind === 'NXDOMAIN' || observed.dns.dns.error?.kind === 'NXDOMAIN';
  if (nxdomain && right.size === 0) {
    for (const zone of zones) {
      const link = linkedTo(zone, vnets);
      if (!link || zone.aRecords.some((r) => r.name === label)) continue;
      findings.push(
        finding(
          'NXDOMAIN_SPLIT_BRAIN',
          `${observed.host} is NXDOMAIN here: zone ${zone.name} (${zone.resourceGroup}) is linked to this VNet by ${link.name} (resolution policy ${link.resolutionPolicy ?? 'Default'}) and has no record ${label}, so Azure DNS answers for the zone instead of falling back to the public name.`,
          { zone: zone.id, vnetId, linkId: link.id, record: label },
          { resourceId: link.id, fix: commands.nxDomainRedirect(link.id), confirm: commands.listZoneLinks(zone.id) },
        ),
      );
    }
  }
  return findings;
}
