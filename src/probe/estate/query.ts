import { customDnsNotForwarding } from '../checks/custom-dns';
import { answerFitsSite, sitePrefixes, type SiteExpectation } from '../expectation';
import { inPrefix, sortAddresses } from '../ip';
import type { CustomDnsAnswer, Site } from '../types';
import type { EstateVault, Judgement } from './judge';

/** The DNS port of a query: one server asked directly (the site's observer, `resolveVia`). */
export interface EstateDns {
  resolveVia?(host: string, server: string, signal: AbortSignal): Promise<CustomDnsAnswer>;
}

/**
 * Whether the asking site reaches a DNS server ARM cannot describe: its address lies in the site's own address space
 * or a connected peer's (`sitePrefixes`, the prefixes that make an address private for the site). A server
 * elsewhere (on-premises, behind a gateway the site cannot see through) is not asked: its chain stays unknown.
 */
export function siteReachesServer(site: Site, server: string): boolean {
  return sitePrefixes(site.vnet).some((p) => inPrefix(server, p));
}

/**
 * The servers' answers for the vaults' names, asked once per (server, vault host) however many VNets name the
 * server. Asked only from the site itself (PROBE_ESTATE_QUERY_DNS=on, `kvprobe map --query-dns`).
 */
export class ServerQueries {
  private readonly asked = new Map<string, Promise<CustomDnsAnswer>>();

  constructor(
    private readonly dns: Required<EstateDns>,
    private readonly signal: AbortSignal,
  ) {}

  answer(server: string, host: string): Promise<CustomDnsAnswer> {
    const key = `${server}|${host.toLowerCase()}`;
    let a = this.asked.get(key);
    if (!a) {
      a = this.dns.resolveVia(host, server, this.signal);
      this.asked.set(key, a);
    }
    return a;
  }
}

const HEALTHY: Judgement = { status: 'healthy', findings: [] };
const UNKNOWN: Judgement = { status: 'unknown', findings: [] };
const UNREACHABLE: Judgement = { status: 'unreachable', findings: [] };

/**
 * Judges a pair from a queried server's answer, as the custom-dns check judges a site's server: where the VNet must
 * resolve the vault privately and the server answers anything else (or fails), CUSTOM_DNS_NOT_FORWARDING names the
 * VNet whose DNS server it is. A public expectation is not judged here (nor at a site): a server that answers is
 * healthy, one that fails is unknown.
 */
export function judgeQueried(
  v: EstateVault,
  site: Site,
  expectation: SiteExpectation,
  answer: CustomDnsAnswer,
): Judgement {
  if (expectation.kind === 'unreachable') return UNREACHABLE;
  if (expectation.kind !== 'private') return answer.error ? UNKNOWN : HEALTHY;
  if (!answer.error && answerFitsSite(answer.addresses, expectation)) return HEALTHY;
  const f = customDnsNotForwarding(
    answer,
    v.expected.vault.host,
    sortAddresses(expectation.ips),
    site.vnetId,
    site.vnetId,
  );
  return { status: 'unhealthy', findings: [f] };
}
