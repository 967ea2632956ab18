import { commands } from '../commands';
import { answerFitsSite } from '../expectation';
import { finding, type Finding } from '../findings';
import { sortAddresses } from '../ip';
import type { CustomDnsAnswer } from '../types';
import type { CheckInput } from './check';

/**
 * CUSTOM_DNS_NOT_FORWARDING: a custom DNS server of the VNet, asked directly, does not answer what this site
 * expects: addresses of usable endpoints it reaches (any of them), never the union of every endpoint of the vault.
 */
export function checkCustomDns({ expected, expectation, observed, site }: CheckInput): Finding[] {
  if (!expected || !expectation || !observed.customDns) return [];
  // No usable endpoint this site reaches (a public or unreachable vault has none): nothing to forward to.
  const want = sortAddresses(expectation.ips);
  if (want.length === 0) return [];
  return observed.customDns
    .filter((a) => a.kind !== 'azure')
    .filter((a) => a.error !== undefined || !answerFitsSite(a.addresses, expectation))
    .map((a) => customDnsNotForwarding(a, observed.host, want, 'this VNet', site?.vnetId));
}

/**
 * The CUSTOM_DNS_NOT_FORWARDING finding for one server's answer: the site's check and the estate map's queried
 * servers (src/probe/estate/query.ts) both make it. `where` names the VNet in the message; `vnetId` is the object.
 */
export function customDnsNotForwarding(
  a: Pick<CustomDnsAnswer, 'server' | 'addresses' | 'error'>,
  host: string,
  want: readonly string[],
  where: string,
  vnetId: string | undefined,
): Finding {
  const got = a.error ? `${a.error.kind} (${a.error.code})` : a.addresses.join(', ') || 'no address';
  return finding(
    'CUSTOM_DNS_NOT_FORWARDING',
    `Custom DNS server ${a.server} of ${where} answers ${got} for ${host}, not the private endpoint's ${want.join(', ')}: it does not forward vault.azure.net to Azure DNS from a VNet linked to the zone.`,
    { server: a.server, answered: [...a.addresses], expected: [...want], ...(a.error ? { error: a.error.code } : {}) },
    { resourceId: vnetId, confirm: commands.nslookup(host, a.server) },
  );
}
