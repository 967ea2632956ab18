import { endpointAddresses, hasUsableEndpoint, hostLabel, resourceName, usableIps, usableIpsUnknown } from '../endpoints';
import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import { isPrivateAddress } from '../ip';
import type { CheckInput } from './check';

/**
 * DNS_PRIVATE_IP_MISMATCH and DNS_PUBLIC_IP: every address either resolver returned must be the NIC IP of an
 * approved, provisioned endpoint of this vault.
 */
export function checkDnsAddress({ expected, observed }: CheckInput): Finding[] {
  if (!expected) return [];
  const expectedIps = usableIps(expected);
  const known = endpointAddresses(expected);
  const usable = hasUsableEndpoint(expected);
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
  const findings: Finding[] = [];
  for (const [address, resolver] of seen) {
    if (expectedIps.includes(address)) continue;
    const by = resolver === 'os' ? 'the OS resolver' : 'DNS';
    if (isPrivateAddress(address)) {
      if (ipsUnknown) continue;
      const owner = known.find((k) => k.ip === address);
      const belongsTo = owner
        ? `private endpoint ${resourceName(owner.privateEndpointId)} of this vault, whose connection is ${owner.connectionStatus ?? 'Unknown'} / ${owner.provisioningState ?? 'Unknown'}`
        : undefined;
      findings.push(
        finding(
          'DNS_PRIVATE_IP_MISMATCH',
          `${observed.host} resolves (${by}) to ${address}, which is ${belongsTo ?? 'not the IP of any private endpoint of this vault'}; expected ${expectedText}.`,
          { address, expected: expectedIps, resolver, ...(belongsTo ? { belongsTo } : {}) },
          target(address),
        ),
      );
    } else if (usable) {
      findings.push(
        finding(
          'DNS_PUBLIC_IP',
          `${observed.host} resolves (${by}) to public address ${address} although the vault has an approved private endpoint at ${expectedText}.`,
          { address, expected: expectedIps, resolver },
          target(address),
        ),
      );
    }
  }
  return findings;
}
