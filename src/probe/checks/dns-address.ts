import { endpointAddresses, hostLabel, resourceName, usableIpsUnknown } from '../endpoints';
import { commands } from '../commands';
import { connectivityGaps } from '../connectivity';
import { classifyForSite } from '../expectation';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/**
 * DNS_PRIVATE_IP_MISMATCH, DNS_PUBLIC_IP and DNS_UNREACHED_ENDPOINT: every address either resolver returned must be
 * what this site expects (see expectation.ts): the IP of an approved, provisioned endpoint the site reaches, or any
 * public address for a vault that is public from here.
 */
export function checkDnsAddress({ expected, expectation, observed, site }: CheckInput): Finding[] {
  if (!expected || !expectation) return [];
  const expectedIps = [...expectation.ips];
  const known = endpointAddresses(expected);
  const ipsUnknown = usableIpsUnknown(expected);
  const seen = new Map<string, 'os' | 'dns'>();
  for (const a of observed.dns.dns.addresses) seen.set(a, 'dns');
  for (const a of observed.dns.os.addresses) seen.set(a, 'os');
  const expectedText = expectedIps.length > 0 ? expectedIps.join(', ') : 'none';
  // The record that gives the wrong answer, when a zone in view holds one for the vault and the address is none of
  // the vault's own endpoints. Never a fix here: a stale record's fix is ZONE_RECORD_STALE's (it knows the right
  // address), and an address of the vault's own endpoint is right once its connection is approved.
  const label = hostLabel(observed.host);
  const record = (expected.zones ?? []).flatMap((z) => z.aRecords.filter((r) => r.name === label))[0];
  const target = (address: string) => ({
    resourceId:
      record && record.ips.includes(address) && !known.some((k) => k.ip === address) ? record.id : expected.vault.id,
    confirm: commands.nslookup(observed.host),
  });
  // A public answer while a zone in view holds the right record: the zone is not linked where clients resolve.
  const holding = (expected.zones ?? []).find((z) =>
    z.aRecords.some((r) => r.name === label && r.ips.some((ip) => expectedIps.includes(ip))),
  );
  const publicFix = (address: string) =>
    holding
      ? {
          resourceId: holding.id,
          fix: commands.linkZone(holding.id, site?.vnetId),
          confirm: [commands.listZoneLinks(holding.id), commands.nslookup(observed.host)],
          remediation: `Zone ${holding.name} (${holding.resourceGroup}) holds the right record: link it to ${site?.vnetId ? `VNet ${resourceName(site.vnetId)}` : 'the VNet whose DNS this machine uses (give --vnet to name it)'}, or to the VNet of the DNS servers or resolver that VNet forwards to; a custom DNS server needs a conditional forwarder for vault.azure.net to 168.63.129.16.`,
        }
      : target(address);
  const gaps = connectivityGaps(site?.connectivity);
  const unread = gaps.length > 0 ? ` Reach not readable: ${gaps.join('; ')}.` : '';
  const findings: Finding[] = [];
  for (const [address, resolver] of seen) {
    if (expectedIps.includes(address)) continue;
    const by = resolver === 'os' ? 'the OS resolver' : 'DNS';
    const cls = classifyForSite(address, site);
    const rule = { rule: cls.rule, ...(cls.prefix ? { prefix: cls.prefix } : {}) };
    if (cls.private) {
      if (ipsUnknown) continue;
      const owner = known.find((k) => k.ip === address);
      if (owner?.usable && expectation.unreachedIps.includes(address)) {
        findings.push(
          finding(
            'DNS_UNREACHED_ENDPOINT',
            `${observed.host} resolves (${by}) to ${address}, the IP of private endpoint ${resourceName(owner.privateEndpointId)} of this vault, which this VNet does not reach; expected ${expectation.kind === 'private' ? expectedText : `the vault's ${expectation.kind} answer`}.${unread}`,
            {
              address,
              ...(owner.privateEndpointId ? { privateEndpointId: owner.privateEndpointId } : {}),
              expected: expectedIps,
              resolver,
            },
            target(address),
          ),
        );
        continue;
      }
      const belongsTo = owner
        ? `private endpoint ${resourceName(owner.privateEndpointId)} of this vault, whose connection is ${owner.connectionStatus ?? 'Unknown'} / ${owner.provisioningState ?? 'Unknown'}`
        : undefined;
      findings.push(
        finding(
          'DNS_PRIVATE_IP_MISMATCH',
          `${observed.host} resolves (${by}) to ${address}, which is ${belongsTo ?? 'not the IP of any private endpoint of this vault'}; expected ${expectedText}.`,
          {
            address,
            expected: expectedIps,
            resolver,
            ...rule,
            ...(belongsTo ? { belongsTo } : {}),
            ...(owner?.privateEndpointId ? { privateEndpointId: owner.privateEndpointId } : {}),
          },
          target(address),
        ),
      );
    } else if (expectation.kind === 'private' && expectation.endpoints.some((e) => e.usable)) {
      findings.push(
        finding(
          'DNS_PUBLIC_IP',
          `${observed.host} resolves (${by}) to public address ${address} although the vault has an approved private endpoint ${expectation.assumed ? '' : 'this VNet reaches '}at ${expectedText}.`.replace(
            /\s+/g,
            ' ',
          ),
          { address, expected: expectedIps, resolver, rule: cls.rule },
          publicFix(address),
        ),
      );
    }
  }
  return findings;
}
