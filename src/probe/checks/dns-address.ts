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
  // The record to change, when a zone in view holds one for the vault.
  const label = hostLabel(observed.host);
  const record = (expected.zones ?? []).flatMap((z) => z.aRecords.filter((r) => r.name === label))[0];
  const target = (address: string) =>
    record && record.ips.includes(address)
      ? { resourceId: record.id, command: commands.removeRecordIp(record.id, address) }
      : { resourceId: expected.vault.id, command: commands.nslookup(observed.host) };
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
          { address, expected: expectedIps, resolver, ...rule, ...(belongsTo ? { belongsTo } : {}) },
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
          target(address),
        ),
      );
    }
  }
  return findings;
}
