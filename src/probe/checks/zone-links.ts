import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import { hostLabel, resourceName } from '../endpoints';
import { resolvedAddresses } from '../report';
import { linkTo, loopsOf, resolvingVnet, servingVnets } from '../resolution';
import type { ForwardingRulesetRecord, InboundEndpointRecord, PrivateDnsZoneRecord } from '../types';
import type { CheckInput } from './check';

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
    remediation: `Ruleset ${resourceName(ruleset.id)}, linked to this VNet, forwards no rule for ${domain} to the resolver whose VNet is linked to zone ${zone.name}: add that rule (to inbound endpoint ${target.ips.join(', ')}). Linking the zone to this VNet as well would also work, but against the hub-and-spoke design the ruleset serves.`,
  };
}

/**
 * ZONE_NOT_LINKED: resolution here drifted from what this site expects, the VNets that serve its resolution are
 * known (the probe's VNet was read), and the zone holding the right record is linked to none of them.
 * NXDOMAIN_SPLIT_BRAIN: the name is NXDOMAIN and a zone linked here lacks the vault's record.
 */
export function checkZoneLinks({ expected, expectation, observed, site }: CheckInput): Finding[] {
  const zones = expected?.zones ?? [];
  const [first] = zones;
  if (!expected || !expectation || !site || !first) return [];
  const vnetId = site.vnetId;
  const label = hostLabel(observed.host);
  const names = [observed.host, `${label}.${first.name}`];
  const vnets = servingVnets(site, names);
  const right = new Set(expectation.ips);
  const got = resolvedAddresses(observed.dns);
  const drifted =
    observed.dns.os.error !== undefined ||
    observed.dns.dns.error !== undefined ||
    got.length === 0 ||
    got.some((a) => !right.has(a));
  const findings: Finding[] = [];
  const holding = zones.filter((z) => z.aRecords.some((r) => r.name === label && r.ips.some((ip) => right.has(ip))));
  // Without the VNet's own record the serving VNets are unknown: saying "not linked" would be a guess. Where the
  // names loop between resolvers (RESOLVER_FORWARDING_LOOP), no zone link is reached: no link would fix it.
  if (
    site.vnet &&
    loopsOf(site, names).length === 0 &&
    expectation.kind === 'private' &&
    drifted &&
    holding.length > 0 &&
    !holding.some((z) => linkTo(z, vnets))
  ) {
    // issue 20: the link belongs where the queries are resolved (a forwarding rule's inbound endpoint's VNet, the
    // VNet of the custom DNS server), which is not always this VNet.
    const where = resolvingVnet(site, names[1] ?? observed.host) ?? vnetId.toLowerCase();
    const at = where === vnetId.toLowerCase() ? vnetId : where;
    const here = at === vnetId ? `this VNet (${vnetId})` : `${at}, where this VNet's queries for it are resolved`;
    for (const zone of holding) {
      // Only where no forwarding rule already sends these queries elsewhere: then the link belongs there (above).
      const rule =
        at === vnetId ? missingForwardingRule(zone, observed.host, site.rulesets, site.inboundEndpoints) : undefined;
      findings.push(
        finding(
          'ZONE_NOT_LINKED',
          `Zone ${zone.name} (${zone.resourceGroup}) holds the right record for ${observed.host} but is not linked to ${here}; it is linked to ${zone.links.map((l) => l.virtualNetworkId).join(', ') || 'no VNet'}.`,
          { zone: zone.id, vnetId: at, linkedVnets: zone.links.map((l) => l.virtualNetworkId) },
          rule ?? {
            resourceId: zone.id,
            fix: commands.linkZone(zone.id, at),
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
      const link = linkTo(zone, vnets);
      if (!link || zone.aRecords.some((r) => r.name === label)) continue;
      // issue 20: with NxDomainRedirect already set the zone falls back to public resolution; the NXDOMAIN comes
      // from elsewhere, and setting the policy again is no fix.
      const redirects = (link.resolutionPolicy ?? '').toLowerCase() === 'nxdomainredirect';
      findings.push(
        finding(
          'NXDOMAIN_SPLIT_BRAIN',
          redirects
            ? `${observed.host} is NXDOMAIN here although zone ${zone.name} (${zone.resourceGroup}) is linked by ${link.name} with resolution policy NxDomainRedirect and falls back to the public name: the NXDOMAIN comes from another resolver on the path (a custom DNS server or a forwarding target), not from this link.`
            : `${observed.host} is NXDOMAIN here: zone ${zone.name} (${zone.resourceGroup}) is linked to this VNet by ${link.name} (resolution policy ${link.resolutionPolicy ?? 'Default'}) and has no record ${label}, so Azure DNS answers for the zone instead of falling back to the public name.`,
          { zone: zone.id, vnetId, linkId: link.id, record: label },
          redirects
            ? { resourceId: link.id, confirm: commands.nslookup(observed.host) }
            : {
                resourceId: link.id,
                fix: commands.nxDomainRedirect(link.id),
                confirm: commands.listZoneLinks(zone.id),
              },
        ),
      );
    }
  }
  return findings;
}
