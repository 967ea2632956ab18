import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { DnsError } from '../types';
import type { CheckInput } from './check';

const RESOLVER_NAMES = { os: 'The OS resolver (getaddrinfo)', dns: 'DNS' } as const;

/** DNS_NXDOMAIN and DNS_FAILURE, for each resolver that failed. */
export function checkDnsResolution({ expected, observed }: CheckInput): Finding[] {
  const { host } = observed;
  const failures: ['os' | 'dns', DnsError, string][] = [];
  if (observed.dns.os.error) failures.push(['os', observed.dns.os.error, '']);
  if (observed.dns.dns.error) {
    const servers = observed.dns.dns.servers.length > 0 ? ` (servers ${observed.dns.dns.servers.join(', ')})` : '';
    failures.push(['dns', observed.dns.dns.error, servers]);
  }
  const where = (resolver: 'os' | 'dns') => ({
    resourceId: expected?.vault.id,
    confirm: resolver === 'os' ? commands.getent(host) : commands.nslookup(host, observed.dns.dns.servers[0]),
  });
  return failures.map(([resolver, error, servers]) =>
    error.kind === 'NXDOMAIN'
      ? finding(
          'DNS_NXDOMAIN',
          `${RESOLVER_NAMES[resolver]}${servers} answered NXDOMAIN for ${host}.`,
          { resolver, host },
          where(resolver),
        )
      : finding(
          'DNS_FAILURE',
          `${RESOLVER_NAMES[resolver]}${servers} could not resolve ${host}: ${error.kind} (${error.code}).`,
          { resolver, host, errorKind: error.kind, errorCode: error.code },
          where(resolver),
        ),
  );
}
