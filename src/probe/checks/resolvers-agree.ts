import { finding, type Finding } from '../findings';
import { sortAddresses } from '../ip';
import type { CheckInput } from './check';

/** DNS_RESOLVERS_DISAGREE: getaddrinfo and DNS both answered, with different addresses. */
export function checkResolversAgree({ expected, observed }: CheckInput): Finding[] {
  const { os, dns } = observed.dns;
  if (os.error || dns.error) return [];
  const a = sortAddresses(os.addresses);
  const b = sortAddresses(dns.addresses);
  if (a.join() === b.join()) return [];
  const servers = dns.servers.length > 0 ? `DNS (${dns.servers.join(', ')})` : 'DNS';
  return [
    finding(
      'DNS_RESOLVERS_DISAGREE',
      `The OS resolver returns ${a.join(', ') || 'nothing'} for ${observed.host} but ${servers} returns ${b.join(', ') || 'nothing'}: a hosts-file entry, a local cache or split DNS is in the way.`,
      { os: a, dns: b, servers: [...dns.servers] },
      { ...(expected ? { resourceId: expected.vault.id } : {}), command: `getent ahosts ${observed.host}; grep -i ${observed.host} /etc/hosts` },
    ),
  ];
}
