import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import { hostLabel } from '../endpoints';
import { resolvedAddresses } from '../report';
import { linkTo, servingVnets } from '../resolution';
import type { CheckInput } from './check';

/**
 * ZONE_NOT_LINKED: resolution here drifted from what this site expects, the VNets that serve its resolution are
 * known (the probe's VNet was read), and the zone holding the right record is linked to none of them.
 * NXDOMAIN_SPLIT_BRAIN: the name is NXDOMAIN and a zone linked here lacks the vault's record.
 */
export function checkZoneLinks({ expected, expectation, observed, site }: CheckInput): Finding[] {
  const zones = expected?.zones ?? [];
  if (!expected || !expectation || !site || zones.length === 0) return [];
  const vnetId = site.vnetId;
  const label = hostLabel(observed.host);
  const names = [observed.host, `${label}.${zones[0]?.name ?? ''}`];
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
  // Without the VNet's own record the serving VNets are unknown: saying "not linked" would be a guess.
  if (
    site.vnet &&
    expectation.kind === 'private' &&
    drifted &&
    holding.length > 0 &&
    !holding.some((z) => linkTo(z, vnets))
  ) {
    for (const zone of holding) {
      findings.push(
        finding(
          'ZONE_NOT_LINKED',
          `Zone ${zone.name} (${zone.resourceGroup}) holds the right record for ${observed.host} but is not linked to ${vnets.length > 1 ? `this VNet or the VNet of its DNS servers (${vnets.join(', ')})` : `this VNet (${vnetId})`}; it is linked to ${zone.links.map((l) => l.virtualNetworkId).join(', ') || 'no VNet'}.`,
          { zone: zone.id, vnetId, linkedVnets: zone.links.map((l) => l.virtualNetworkId) },
          { resourceId: zone.id, command: commands.linkZone(zone.id, vnetId) },
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
      findings.push(
        finding(
          'NXDOMAIN_SPLIT_BRAIN',
          `${observed.host} is NXDOMAIN here: zone ${zone.name} (${zone.resourceGroup}) is linked to this VNet by ${link.name} (resolution policy ${link.resolutionPolicy ?? 'Default'}) and has no record ${label}, so Azure DNS answers for the zone instead of falling back to the public name.`,
          { zone: zone.id, vnetId, linkId: link.id },
          { resourceId: link.id, command: commands.nxDomainRedirect(link.id) },
        ),
      );
    }
  }
  return findings;
}
