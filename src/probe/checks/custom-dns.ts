import { commands } from '../commands';
import { answerFitsSite } from '../expectation';
import { finding, type Finding } from '../findings';
import { sortAddresses } from '../ip';
import type { CheckInput } from './check';

/**
 * CUSTOM_DNS_NOT_FORWARDING: a custom DNS server of the VNet, asked directly, does not answer what this site
 * expects: addresses of usable endpoints it reaches (any of them), never the union of every endpoint of the vault.
 */
export function checkCustomDns({ expected, expectation, observed, site }: CheckInput): Finding[] {
  if (!expected || !expectation || !observed.customDns) return [];
  if (expectation.kind !== 'private') return [];
  const want = sortAddresses(expectation.ips);
  if (want.length === 0) return [];
  return observed.customDns
    .filter((a) => a.kind !== 'azure')
    .filter((a) => a.error !== undefined || !answerFitsSite(a.addresses, expectation))
    .map((a) => {
      const got = a.error ? `${a.error.kind} (${a.error.code})` : a.addresses.join(', ') || 'no address';
      return finding(
        'CUSTOM_DNS_NOT_FORWARDING',
        `Custom DNS server ${a.server} of this VNet answers ${got} for ${observed.host}, not the private endpoint's ${want.join(', ')}: it does not forward vault.azure.net to Azure DNS from a VNet linked to the zone.`,
        { server: a.server, answered: [...a.addresses], expected: want, ...(a.error ? { error: a.error.code } : {}) },
        { resourceId: site?.vnetId, command: commands.nslookup(observed.host, a.server) },
      );
    });
}
