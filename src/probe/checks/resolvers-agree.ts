import { isIP } from 'node:net';
import { answerFitsSite, classifyForSite } from '../expectation';
import { finding, type Finding } from '../findings';
import { sortAddresses } from '../ip';
import type { CheckInput } from './check';

/** The addresses both sides were asked for: DNS asks A only, getaddrinfo A and AAAA (a dual-stack host). */
const v4 = (addresses: readonly string[]): string[] => addresses.filter((a) => isIP(a) === 4);

/**
 * True when the OS resolver's answer is what this site expects: then Azure DNS answering otherwise is by design
 * (a spoke deliberately not linked to the zone, resolving through a hub), not a fault here.
 */
function osAsExpected({ expected, expectation, observed, site }: CheckInput): boolean {
  if (!expected || !expectation) return false;
  const os = v4(observed.dns.os.addresses);
  if (expectation.kind === 'private') return answerFitsSite(os, expectation);
  return os.length > 0 && os.every((a) => !classifyForSite(a, site).private);
}

/**
 * DNS_RESOLVERS_DISAGREE: getaddrinfo and DNS both answered, with different addresses; or Azure DNS, asked
 * directly where the probe runs in Azure, answers otherwise than the resolver clients here use.
 */
export function checkResolversAgree(input: CheckInput): Finding[] {
  return [...osVersusDns(input), ...azureVersusOs(input)];
}

function azureVersusOs(input: CheckInput): Finding[] {
  const { expected, observed } = input;
  const os = observed.dns.os;
  if (os.error || osAsExpected(input)) return [];
  const mine = sortAddresses(v4(os.addresses));
  return (observed.customDns ?? [])
    .filter((a) => a.kind === 'azure' && !a.error && sortAddresses(a.addresses).join() !== mine.join())
    .map((a) =>
      finding(
        'DNS_RESOLVERS_DISAGREE',
        `Azure DNS (${a.server}) returns ${sortAddresses(a.addresses).join(', ') || 'nothing'} for ${observed.host} but the OS resolver here returns ${mine.join(', ') || 'nothing'}: the DNS servers this VNet uses do not answer as Azure DNS does.`,
        { os: mine, dns: sortAddresses(a.addresses), servers: [a.server] },
        {
          resourceId: expected?.vault.id,
          command: `nslookup ${observed.host} ${a.server}; getent ahosts ${observed.host}`,
        },
      ),
    );
}

function osVersusDns({ expected, observed }: CheckInput): Finding[] {
  const { os, dns } = observed.dns;
  if (os.error || dns.error) return [];
  const a = sortAddresses(v4(os.addresses));
  const b = sortAddresses(v4(dns.addresses));
  if (a.join() === b.join()) return [];
  const servers = dns.servers.length > 0 ? `DNS (${dns.servers.join(', ')})` : 'DNS';
  return [
    finding(
      'DNS_RESOLVERS_DISAGREE',
      `The OS resolver returns ${a.join(', ') || 'nothing'} for ${observed.host} but ${servers} returns ${b.join(', ') || 'nothing'}: a hosts-file entry, a local cache or split DNS is in the way.`,
      { os: a, dns: b, servers: [...dns.servers] },
      {
        resourceId: expected?.vault.id,
        command: `getent ahosts ${observed.host}; grep -i ${observed.host} /etc/hosts`,
      },
    ),
  ];
}
