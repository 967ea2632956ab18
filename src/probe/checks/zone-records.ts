import { isIP } from 'node:net';
import { commands } from '../commands';
import { endpointAddresses, hostLabel, resourceName, usableIpsUnknown } from '../endpoints';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/**
 * ZONE_RECORD_STALE: a zone's A record for the vault holds an IP that is no endpoint NIC of this vault.
 * ZONE_RECORD_MISSING: an approved, provisioned endpoint's IP is in no inspected zone's record for the vault.
 */
export function checkZoneRecords({ expected, observed }: CheckInput): Finding[] {
  const zones = expected?.zones ?? [];
  if (!expected || zones.length === 0) return [];
  const label = hostLabel(observed.host);
  if (usableIpsUnknown(expected)) return [];
  const known = endpointAddresses(expected);
  const ours = new Set(known.map((k) => k.ip));
  const findings: Finding[] = [];
  const recorded = new Set<string>();
  for (const zone of zones) {
    const record = zone.aRecords.find((r) => r.name === label);
    if (!record) continue;
    for (const ip of record.ips) {
      recorded.add(ip);
      if (ours.has(ip)) continue;
      const owner = expected.addressOwners?.find((o) => o.address === ip);
      const belongsTo = owner
        ? `private endpoint ${resourceName(owner.privateEndpointId)} (NIC ${resourceName(owner.networkInterfaceId)}) of ${owner.targetResourceIds.map(resourceName).join(', ') || 'another resource'}`
        : undefined;
      findings.push(
        finding(
          'ZONE_RECORD_STALE',
          `Zone ${zone.name} (${zone.resourceGroup}) has A record ${record.name} -> ${ip}, which is no private endpoint NIC of vault ${expected.vault.name}${belongsTo ? `: it belongs to ${belongsTo}` : ''}.`,
          { zone: zone.id, record: record.id, address: ip, ...(belongsTo ? { belongsTo } : {}) },
          { resourceId: record.id, command: commands.removeRecordIp(record.id, ip) },
        ),
      );
    }
  }
  // Only A record sets are read: an endpoint's IPv6 address (dual stack) lives in an AAAA record.
  for (const a of known.filter((k) => k.usable && isIP(k.ip) === 4)) {
    if (recorded.has(a.ip)) continue;
    const zone = zones[0] ?? { id: a.privateEndpointId ?? '' };
    findings.push(
      finding(
        'ZONE_RECORD_MISSING',
        `Approved private endpoint ${resourceName(a.privateEndpointId)} of vault ${expected.vault.name} has IP ${a.ip}, but no A record ${label} in ${zones.map((z) => `${z.name} (${z.resourceGroup})`).join(', ')} points at it.`,
        { address: a.ip, privateEndpointId: a.privateEndpointId, zones: zones.map((z) => z.id) },
        { resourceId: zone.id, command: commands.addRecordIp(zone.id, label, a.ip) },
      ),
    );
  }
  return findings;
}
