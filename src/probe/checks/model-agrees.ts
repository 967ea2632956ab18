import { isIP } from 'node:net';
import { privatelinkZoneOf } from '../clouds';
import { commands } from '../commands';
import { hostLabel } from '../endpoints';
import { predictAtSite } from '../estate/site-prediction';
import { finding, type Finding } from '../findings';
import { isPrivateAddress, sortAddresses } from '../ip';
import type { Answer } from '../estate/answer';
import type { CheckInput } from './check';

/** What the VNet's DNS servers answered, where they answered: addresses, or NXDOMAIN. */
type Seen = { readonly kind: 'addresses'; readonly ips: readonly string[] } | { readonly kind: 'nxdomain' };

function seenOf({ observed }: CheckInput): Seen | undefined {
  const dns = observed.dns.dns;
  if (dns.error?.kind === 'NXDOMAIN') return { kind: 'nxdomain' };
  // A failure (timeout, SERVFAIL) is no answer to compare: its own finding says so.
  if (dns.error) return undefined;
  const ips = sortAddresses(dns.addresses.filter((a) => isIP(a) === 4));
  return ips.length > 0 ? { kind: 'addresses', ips } : undefined;
}

function agrees(predicted: Answer, seen: Seen): boolean {
  switch (predicted.kind) {
    case 'records':
      return seen.kind === 'addresses' && sortAddresses(predicted.ips).join() === seen.ips.join();
    case 'nxdomain':
      return seen.kind === 'nxdomain';
    case 'public':
      return seen.kind === 'addresses' && seen.ips.every((ip) => !isPrivateAddress(ip));
    default:
      return true;
  }
}

const words = (a: Answer): string =>
  a.kind === 'records'
    ? `${a.ips.join(', ')} (record ${a.recordId})`
    : a.kind === 'nxdomain'
      ? 'NXDOMAIN'
      : 'the public name (no private zone answers)';

/**
 * MODEL_DISAGREES (issue 25, calibration): where a probe runs, the estate map's prediction for this VNet (from ARM:
 * its DNS servers, rulesets, inbound endpoints, zone links and records) differs from what the VNet's DNS servers
 * answered. Not compared where the prediction ends at a server ARM cannot describe, or where DNS failed.
 */
export function checkModelAgrees(input: CheckInput): Finding[] {
  const { cloud, expected, observed, site } = input;
  if (!expected || !site?.vnet) return [];
  const host = observed.host;
  const label = hostLabel(host);
  const prediction = predictAtSite(
    site,
    expected.vault,
    expected.zones ?? [],
    privatelinkZoneOf(expected.vault, cloud),
    host.slice(label.length + 1),
    label,
  );
  const seen = seenOf(input);
  if (!prediction || !seen || agrees(prediction.answer, seen)) return [];
  const got = seen.kind === 'nxdomain' ? 'NXDOMAIN' : seen.ips.join(', ');
  const predicted = words(prediction.answer);
  const reliedOn: string[] = [...prediction.chain];
  const servers = observed.dns.dns.servers;
  return [
    finding(
      'MODEL_DISAGREES',
      `The estate map predicts that ${site.vnetId} resolves ${host} to ${predicted}, relying on ${reliedOn.join(' > ')}; the probe here observed ${got} from ${servers.join(', ') || 'the system resolver'}. Something ARM does not describe answers for this VNet (a DNS server, a forwarder or a cache), or the map's model is wrong.`,
      {
        predicted,
        observed: got,
        reliedOn: [...reliedOn],
        address: seen.kind === 'addresses' ? [...seen.ips] : [],
        servers: [...servers],
      },
      {
        resourceId: reliedOn.at(-1) ?? site.vnetId,
        confirm: [commands.nslookup(host), ...servers.map((s) => commands.nslookup(host, s))],
      },
    ),
  ];
}
