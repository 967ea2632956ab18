import { isIP } from 'node:net';
import { commands } from '../commands';
import { endpointAddresses, hostLabel, resourceName, usableIpsUnknown } from '../endpoints';
import { finding, type Finding } from '../findings';
import { linkTo, servingVnets } from '../resolution';
import type { CheckInput } from './check';

/**
 * ZONE_RECORD_STALE: a zone's A record for the vault holds an IP that is no endpoint NIC of this vault.
 * ZONE_RECORD_MISSING: an approved, provisioned endpoint's IP is in no inspected zone's record for the vault, and no
 * zone or record set that could hold it went unread.
 * ARM_READ_FAILED: the vault's record set was listed but its `aRecords` could not be read (no list).
 *
 * The fix of a stale record set repairs it whole: first add the approved endpoints' addresses no record holds, then
 * remove every wrong one. In that order the record set is never empty (removing its last address deletes it, and
 * clients would get NXDOMAIN in between); addresses of the vault's own endpoints, approved or pending, are never
 * removed (they are not stale).
 */
export function checkZoneRecords({ expected, observed, site }: CheckInput): Finding[] {
  const zones = expected?.zones ?? [];
  const [first] = zones;
  if (!expected || !first) return [];
  const label = hostLabel(observed.host);
  if (usableIpsUnknown(expected)) return [];
  const known = endpointAddresses(expected);
  const ours = new Set(known.map((k) => k.ip));
  const records = zones.flatMap((zone) => {
    const record = zone.aRecords.find((r) => r.name === label);
    return record ? [{ zone, record }] : [];
  });
  const recorded = new Set(records.flatMap((r) => r.record.ips));
  // Only A record sets are read: an endpoint's IPv6 address (dual stack) lives in an AAAA record.
  const unreadable = zones.flatMap((zone) =>
    (zone.unreadableRecords ?? []).filter((r) => r.name === label).map((record) => ({ zone, record })),
  );
  // An address no read record holds may be in a record set or a zone that could not be read: not known missing.
  const complete = unreadable.length === 0 && (expected.unreadZones ?? []).length === 0;
  const missing = known.filter((k) => k.usable && isIP(k.ip) === 4 && !recorded.has(k.ip));
  const findings: Finding[] = unreadable.map(({ zone, record }) =>
    finding(
      'ARM_READ_FAILED',
      `A record set ${record.name} of zone ${zone.name} (${zone.resourceGroup}) could not be read: its aRecords is not a list, so which addresses it gives vault ${expected.vault.name} is unknown.`,
      { operation: 'read A record set', resourceId: record.id },
      { resourceId: record.id, confirm: commands.showRecordSet(record.id) },
    ),
  );
  let toAdd = [...new Set(missing.map((m) => m.ip))];
  for (const { zone, record } of records) {
    const stale = record.ips.filter((ip) => !ours.has(ip));
    if (stale.length === 0) continue;
    // The missing addresses go into the first record set with a wrong one: the one clients are given today.
    const fix = [
      ...toAdd.map((ip) => commands.addRecordIp(zone.id, record.name, ip)),
      ...stale.map((ip) => commands.removeRecordIp(record.id, ip)),
    ];
    toAdd = [];
    const order =
      fix.length > stale.length
        ? ` Add ${missing.map((m) => m.ip).join(', ')} first, then remove ${stale.join(', ')}: removing the last address deletes the record set, and clients would get NXDOMAIN in between.`
        : '';
    for (const ip of stale) {
      const owner = expected.addressOwners?.find((o) => o.address === ip);
      const belongsTo = owner
        ? `private endpoint ${resourceName(owner.privateEndpointId)} (NIC ${resourceName(owner.networkInterfaceId)}) of ${owner.targetResourceIds.map(resourceName).join(', ') || 'another resource'}`
        : undefined;
      findings.push(
        finding(
          'ZONE_RECORD_STALE',
          `Zone ${zone.name} (${zone.resourceGroup}) has A record ${record.name} -> ${ip}, which is no private endpoint NIC of vault ${expected.vault.name}${belongsTo ? `: it belongs to ${belongsTo}` : ''}.`,
          { zone: zone.id, record: record.id, address: ip, ...(belongsTo ? { belongsTo } : {}) },
          {
            resourceId: record.id,
            fix,
            confirm: commands.showRecordSet(record.id),
            remediation: `Replace the wrong address${stale.length > 1 ? 'es' : ''} in record set ${record.name} of ${zone.name} (${stale.join(', ')}) with the IP of the vault's approved endpoint${missing.length > 0 ? ` (${missing.map((m) => m.ip).join(', ')})` : ''}, or delete the record and let the endpoint's DNS zone group re-create it.${order}`,
          },
        ),
      );
    }
  }
  // issue 20: a zone linked here with NxDomainRedirect answers a name it lacks from public DNS: the missing record is
  // why this VNet gets the public address (FACTS.md, private DNS fallback).
  const serving = site?.vnet ? servingVnets(site, [observed.host, `${label}.${first.name}`]) : [];
  const fallback = zones
    .filter((z) => !z.aRecords.some((r) => r.name === label))
    .map((z) => linkTo(z, serving))
    .find((l) => String(l?.resolutionPolicy).toLowerCase() === 'nxdomainredirect');
  for (const a of complete ? missing : []) {
    findings.push(
      finding(
        'ZONE_RECORD_MISSING',
        `Approved private endpoint ${resourceName(a.privateEndpointId)} of vault ${expected.vault.name} has IP ${a.ip}, but no A record ${label} in ${zones.map((z) => `${z.name} (${z.resourceGroup})`).join(', ')} points at it.${fallback ? ` Zone link ${fallback.name} has resolution policy NxDomainRedirect, so this VNet gets the public answer instead.` : ''}`,
        {
          address: a.ip,
          privateEndpointId: a.privateEndpointId,
          zones: zones.map((z) => z.id),
          record: label,
          ...(fallback ? { fallbackLink: fallback.id } : {}),
        },
        {
          resourceId: first.id,
          fix: commands.addRecordIp(first.id, label, a.ip),
          confirm: commands.nslookup(observed.host),
        },
      ),
    );
  }
  return findings;
}
