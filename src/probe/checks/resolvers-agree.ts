import { finding, type Finding } from '../findings';
import { sortAddresses } from '../ip';
import type { CheckInput } from './check';

/**
 * DNS_RESOLVERS_DISAGREE: getaddrinfo and DNS both answered, with different addresses; or Azure DNS, asked
 * directly where the probe runs in Azure, answers otherwise than the resolver clients here use.
 */
export function checkResolversAgree(input: CheckInput): Finding[] {
  return [...osVersusDns(input), ...azureVersusOs(input)];
}

function azureVersusOs({ expected, observed }: CheckInput): Finding[] {
  const os = observed.dns.os;
  if (os.error) return [];
  const mine = sortAddresses(os.addresses);
  return (observed.customDns ?? [])
    .filter((a) => a.kind === 'azure' && !a.error && sortAddresses(a.addresses).join() !== mine.join())
    .map((a) =>
      finding(
        'DNS_RESOLVERS_DISAGREE',
        `Azure DNS (${a.server}) returns ${sortAddresses(a.addresses).join(', ') || 'nothing'} for ${observed.host} but the OS resolver here returns ${mine.join(', ') || 'nothing'}: the DNS servers this VNet uses do not answer as Azure DNS does.`,
        { os: mine, dns: sortAddresses(a.addresses), servers: [a.server] },
        { ...(expected ? { resourceId: expected.vault.id } : {}), command: `nslookup ${observed.host} ${a.server}; getent ahosts ${observed.host}` },
      ),
    );
}

function osVersusDns({ expected, observed }: CheckInput): Finding[] {
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
