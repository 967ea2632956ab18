import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import { inPrefix } from '../ip';
import { hostLabel, usableIps } from '../endpoints';
import type { PrivateDnsZoneRecord, VirtualNetworkRecord } from '../types';
import type { CheckInput } from './check';

/**
 * The VNets whose zone links serve the probe's VNet: the VNet itself, and a peered VNet that holds one of its
 * custom DNS servers (the resolver there answers with that VNet's links).
 */
export function servingVnets(vnetId: string, vnet: VirtualNetworkRecord | undefined): string[] {
  const out = [vnetId.toLowerCase()];
  for (const server of vnet?.dnsServers ?? []) {
    for (const p of vnet?.peerings ?? []) {
      if (p.remoteAddressPrefixes.some((prefix) => inPrefix(server, prefix))) out.push(p.remoteVirtualNetworkId.toLowerCase());
    }
  }
  return [...new Set(out)];
}

function linkedTo(zone: PrivateDnsZoneRecord, vnets: readonly string[]): PrivateDnsZoneRecord['links'][number] | undefined {
  return zone.links.find((l) => vnets.includes(l.virtualNetworkId.toLowerCase()));
}

/**
 * ZONE_NOT_LINKED: the zone holding the right record is linked neither to the probe's VNet nor to the peered VNet
 * of its DNS servers. NXDOMAIN_SPLIT_BRAIN: the name is NXDOMAIN and a zone linked here lacks the vault's record.
 */
export function checkZoneLinks({ expected, observed, vnetId }: CheckInput): Finding[] {
  const zones = expected?.zones ?? [];
  if (!expected || !vnetId || zones.length === 0) return [];
  const label = hostLabel(observed.host);
  const vnets = servingVnets(vnetId, expected.probeVnet);
  const right = new Set(usableIps(expected));
  const findings: Finding[] = [];
  const holding = zones.filter((z) => z.aRecords.some((r) => r.name === label && r.ips.some((ip) => right.has(ip))));
  if (holding.length > 0 && !holding.some((z) => linkedTo(z, vnets))) {
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
      const link = linkedTo(zone, vnets);
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
