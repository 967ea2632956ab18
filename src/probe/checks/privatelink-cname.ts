import { privatelinkZoneOf } from '../clouds';
import { commands } from '../commands';
import { hostLabel } from '../endpoints';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** DNS_NO_PRIVATELINK_CNAME: the chain from DNS skips `<vault>.privatelink.vaultcore.<suffix>`. */
export function checkPrivatelinkCname({ expected, expectation, observed, cloud }: CheckInput): Finding[] {
  // Key Vault publishes the privatelink CNAME only while at least one connection is Approved (FACTS.md): without
  // one, its absence is no DNS fault (PE_CONNECTION_NOT_APPROVED says why).
  if (!expected || !expectation) return [];
  if (!expected.vault.connections.some((c) => String(c.status).toLowerCase() === 'approved')) return [];
  const dns = observed.dns.dns;
  if (dns.error || dns.addresses.length === 0) return [];
  const vaultLabel = hostLabel(observed.host) || expected.vault.name;
  const zone = privatelinkZoneOf(expected.vault, cloud);
  const wanted = `${vaultLabel.toLowerCase()}.${zone}`;
  if (dns.cnames.some((c) => c.toLowerCase().replace(/\.$/, '') === wanted)) return [];
  const chain = dns.cnames.length > 0 ? dns.cnames.join(' -> ') : 'no CNAME at all';
  return [
    finding(
      'DNS_NO_PRIVATELINK_CNAME',
      `${observed.host} resolves through ${chain}, not through ${wanted}: private DNS zones for ${zone} are never consulted.`,
      { cnames: [...dns.cnames], expectedCname: wanted },
      {
        // Addresses to expect exist only where the site reaches a usable endpoint (a private expectation).
        severity: expectation.ips.length > 0 ? 'error' : 'warning',
        resourceId: expected.vault.id,
        confirm: commands.nslookupCname(observed.host, dns.servers[0]),
      },
    ),
  ];
}
