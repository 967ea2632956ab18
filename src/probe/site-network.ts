import { inPrefix } from './ip';
import type { PerimeterAccessRule, RouteRecord, SubnetRecord } from './network-records';
import type { ExpectedState, Site } from './types';

/**
 * Issue 20: what the probe's own subnet decides, judged purely from what was read: its route table (longest prefix,
 * as Azure selects routes), its service endpoints (a vault's VNet rule admits only the subnet it names, and only
 * with the `Microsoft.KeyVault` endpoint on it), and the vault's network security perimeter.
 */

const lower = (s: string): string => s.toLowerCase();
const nameOf = (id: string | undefined): string => id?.split('/').pop() ?? '?';
const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && lower(a) === lower(b);

/** The subnets whose routes and service endpoints speak for this site, and whether that is one named subnet. */
export interface SiteSubnets {
  readonly subnets: readonly SubnetRecord[];
  /** PROBE_VNET_ID named a subnet the VNet holds: exact. Otherwise every subnet counts, leniently. */
  readonly exact: boolean;
  /** The VNet's GET gave its subnets; false: nothing is known of them. */
  readonly known: boolean;
}

export function siteSubnets(site: Site): SiteSubnets {
  const all = site.vnet?.subnets;
  if (!all) return { subnets: [], exact: false, known: false };
  const named = site.subnetId ? all.filter((s) => same(s.id, site.subnetId)) : [];
  return named.length > 0 ? { subnets: named, exact: true, known: true } : { subnets: all, exact: false, known: true };
}

const bits = (prefix: string): number => Number(prefix.split('/')[1] ?? (prefix.includes(':') ? 128 : 32));

/** A route of the site that decides an address: the user-defined route, named with its table. */
export interface RouteHit {
  readonly table: string;
  readonly route: RouteRecord;
  /** reach: a VirtualAppliance or VirtualNetworkGateway forwards it; drop: next hop None. */
  readonly verdict: 'reach' | 'drop' | 'other';
}

/** `rt-spoke/to-hub-fw 10.60.0.0/16 -> VirtualAppliance 10.60.0.4`, for basis lines and messages. */
export function describeRoute(h: RouteHit): string {
  const hop = h.route.nextHopIpAddress ? ` ${h.route.nextHopIpAddress}` : '';
  return `route ${nameOf(h.table)}/${h.route.name} ${h.route.addressPrefix} -> ${h.route.nextHopType}${hop}`;
}

/**
 * The user-defined route that carries `ip` from one subnet, if one does: the longest prefix among its table's routes
 * and the system routes (the VNet's and its connected peers' address spaces); on equal prefixes a user-defined route
 * wins over a system route (learn.microsoft.com, virtual network traffic routing, "How Azure selects a route").
 */
function routeFor(ip: string, subnet: SubnetRecord, site: Site, system: readonly string[]): RouteHit | undefined {
  if (!subnet.routeTableId) return undefined;
  const state = (site.routeTables ?? []).find((t) => same(t.id, subnet.routeTableId));
  if (!state?.table.ok) return undefined;
  const covering = state.table.value.routes.filter((r) => inPrefix(ip, r.addressPrefix));
  const best = covering.sort((a, b) => bits(b.addressPrefix) - bits(a.addressPrefix))[0];
  if (!best) return undefined;
  const systemBest = Math.max(-1, ...system.filter((p) => inPrefix(ip, p)).map(bits));
  if (bits(best.addressPrefix) < systemBest) return undefined;
  const hop = lower(best.nextHopType);
  const verdict =
    hop === 'virtualappliance' || hop === 'virtualnetworkgateway' ? 'reach' : hop === 'none' ? 'drop' : 'other';
  return { table: state.id, route: best, verdict };
}

/**
 * How the site's routes treat an endpoint's addresses. With one named subnet, its route decides. With every subnet
 * (no subnet given), leniently: reached when any subnet's route forwards it, dropped only when every subnet's drops it.
 */
export function routeVerdict(ips: readonly string[], site: Site, system: readonly string[]): RouteHit | undefined {
  const { subnets, exact } = siteSubnets(site);
  if (subnets.length === 0 || ips.length === 0) return undefined;
  const hits = subnets.map((s) => ips.map((ip) => routeFor(ip, s, site, system)).find((h) => h !== undefined));
  const reach = hits.find((h) => h?.verdict === 'reach');
  if (reach) return reach;
  const drops = hits.filter((h) => h?.verdict === 'drop');
  if (drops.length > 0 && (exact || drops.length === hits.length)) return drops[0];
  return undefined;
}

/** Route tables of the site's subnets that could not be read, for the basis. */
export function unreadRouteTables(site: Site): string[] {
  return (site.routeTables ?? []).flatMap((t) => (t.table.ok ? [] : [nameOf(t.id)]));
}

const KEY_VAULT_SERVICE = 'microsoft.keyvault';

/** The site subnets with the Key Vault service endpoint. */
export function serviceEndpointSubnets(site: Site): SubnetRecord[] {
  return siteSubnets(site).subnets.filter((s) => s.serviceEndpoints.some((e) => lower(e) === KEY_VAULT_SERVICE));
}

/**
 * The subnet a vault VNet rule admits this site through: a rule naming a site subnet that has the Key Vault service
 * endpoint (virtual network service endpoints overview: the rule and the endpoint are per subnet). Where the VNet's
 * subnets are unknown, any rule naming a subnet of the probe's own VNet counts (lenient); a peer's subnet never does.
 */
export function admittingSubnet(expected: ExpectedState, site: Site): string | undefined {
  const rules = expected.vault.networkAcls?.virtualNetworkRules ?? [];
  if (!siteSubnets(site).known) return rules.find((r) => lower(r).startsWith(`${lower(site.vnetId)}/subnets/`));
  const withEndpoint = serviceEndpointSubnets(site);
  return withEndpoint.find((s) => rules.some((r) => same(r, s.id)))?.id;
}

/** What the vault's perimeter says about the public path from this site. */
export type PerimeterVerdict =
  | { readonly kind: 'not-perimeter' }
  /** Learning or Audit mode: the vault's own settings apply. */
  | { readonly kind: 'transition'; readonly basis: string }
  | { readonly kind: 'allows' | 'denies'; readonly basis: string }
  /** Not readable, or no association names the vault: judged leniently. */
  | { readonly kind: 'unknown'; readonly basis: string };

const inbound = (r: PerimeterAccessRule): boolean => lower(r.direction) === 'inbound';

/**
 * `publicNetworkAccess: SecuredByPerimeter`: in Enforced mode the perimeter's inbound rules decide the public path
 * (Key Vault network security, "Network security perimeter"); address-prefix rules count as IP rules do (the site's
 * egress address is unknown), a subscription rule admits a site in that subscription (our assumption). In Learning
 * (transition) or Audit mode the vault's own settings apply.
 */
export function perimeterVerdict(expected: ExpectedState, vnetId: string | undefined): PerimeterVerdict {
  if (lower(expected.vault.publicNetworkAccess ?? '') !== 'securedbyperimeter') return { kind: 'not-perimeter' };
  const state = expected.perimeter;
  if (!state) return { kind: 'unknown', basis: 'perimeter: not read: judged leniently' };
  if (!state.ok) {
    const why = [state.error.statusCode, state.error.code].filter((x) => x !== undefined).join(' ') || 'failed';
    return { kind: 'unknown', basis: `perimeter: could not be read (${why}): judged leniently` };
  }
  const a = state.value.association;
  if (!a) return { kind: 'unknown', basis: 'perimeter: no association names this vault in scope: judged leniently' };
  const where = `perimeter ${nameOf(a.perimeterId)} profile ${nameOf(a.profileId)} (${a.accessMode ?? 'mode unknown'})`;
  if (lower(a.accessMode ?? '') !== 'enforced')
    return { kind: 'transition', basis: `${where}: the vault's own settings apply` };
  const rules = state.value.rules.filter(inbound);
  const sub = /^\/subscriptions\/([^/]+)/i.exec(vnetId ?? '')?.[1];
  const bySub = rules.find((r) =>
    r.subscriptions.some((s) => sub !== undefined && lower(s).endsWith(`/${lower(sub)}`)),
  );
  if (bySub) return { kind: 'allows', basis: `${where}: inbound rule ${bySub.name} admits this subscription` };
  const byAddress = rules.find((r) => r.addressPrefixes.length > 0);
  if (byAddress)
    return {
      kind: 'allows',
      basis: `${where}: inbound rule ${byAddress.name} admits address prefixes (this site's egress address is unknown)`,
    };
  return { kind: 'denies', basis: `${where}: no inbound rule admits this site` };
}
