import { connectivityBasis, connectivityReach, isVirtualWanHubPeer, siteHubConnection } from './connectivity';
import { endpointIps, isUsable, ownEndpoints, resourceName, usableIps } from './endpoints';
import { classifyAddress, inPrefix, type AddressClass } from './ip';
import type { ExpectationView } from './report';
import type { ExpectedEndpoint, ExpectedState, Site, VirtualNetworkRecord } from './types';
import {
  admittingSubnet,
  describeRoute,
  perimeterVerdict,
  routeVerdict,
  siteSubnets,
  unreadRouteTables,
  type RouteHit,
} from './site-network';

/**
 * What this site (the VNet the probe runs in) should see for a vault:
 * - private: an endpoint of the vault sits in this VNet or in one it reaches; clients must resolve to its IP(s);
 * - public: no endpoint is reachable from here, and the vault's public access lets this site in;
 * - unreachable: no endpoint is reachable from here and public access is off (or the firewall keeps this site out):
 *   this VNet cannot use the vault, by design.
 * `assumed` marks the expectation made without knowing the site (no PROBE_VNET_ID, or its VNet unreadable): then any
 * approved endpoint of the vault is expected, as before sites were known.
 */
export type ExpectationKind = 'private' | 'public' | 'unreachable';

/**
 * How an endpoint was judged reachable from the site. vwan and avnm: through a Virtual WAN hub or an AVNM connectivity
 * configuration, as read from ARM; transit: behind a hub the probe could not see through, assumed reachable.
 */
export type Reach = 'vnet' | 'peering' | 'site-prefix' | 'vwan' | 'avnm' | 'transit' | 'udr' | 'unknown' | 'assumed';

export interface ExpectedSiteEndpoint {
  readonly privateEndpointId: string | undefined;
  readonly ips: readonly string[];
  readonly reach: Reach;
  /** Approved on both sides and provisioned: clients may use it. */
  readonly usable: boolean;
  /** vwan and avnm: the hub or configuration, and `assumed reachable` where what was read leaves it open; udr: the route. */
  readonly basis?: string;
}

export interface SiteExpectation {
  readonly kind: ExpectationKind;
  readonly assumed: boolean;
  /** The endpoints the site reaches, usable or not: their state decides whether the vault is healthy here. */
  readonly endpoints: readonly ExpectedSiteEndpoint[];
  /** The IPs clients here must resolve the vault to: the usable endpoints the site reaches. */
  readonly ips: readonly string[];
  /** Usable IPs of the vault's own endpoints that this site does not reach (another region's, another spoke's). */
  readonly unreachedIps: readonly string[];
  /** What public access allows, for public and unreachable (issue 20: or the vault's network security perimeter). */
  readonly publicAccess: 'enabled' | 'disabled' | 'firewall-allows' | 'firewall-denies' | 'perimeter-denies';
  /** issue 20: the vault's endpoints a route with next hop None keeps this site from, each with the route. */
  readonly blocked?: readonly { readonly privateEndpointId: string | undefined; readonly route: string }[];
  /** issue 20: the subnet whose Key Vault service endpoint a vault VNet rule admits this site through. */
  readonly serviceEndpointSubnet?: string;
  /** How Virtual WAN and AVNM connectivity was read for this site, one line each; empty when it was not needed. */
  readonly basis: readonly string[];
}

const lower = (s: string): string => s.toLowerCase();

/** The VNet of a subnet ID (`…/virtualNetworks/<vnet>/subnets/<subnet>`), lower-cased. */
export function vnetOfSubnet(subnetId: string | undefined): string | undefined {
  if (!subnetId) return undefined;
  const m = /^(.*\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(subnetId);
  return m?.[1] ? lower(m[1]) : undefined;
}

const connected = (p: VirtualNetworkRecord['peerings'][number]): boolean =>
  p.state === undefined || lower(p.state) === 'connected';

/** The site's VNets: the probe's own and every connected peer (a hub included), lower-cased. */
export function siteVnets(vnetId: string, vnet: VirtualNetworkRecord | undefined): string[] {
  return [
    ...new Set([
      lower(vnetId),
      ...(vnet?.peerings ?? []).filter(connected).map((p) => lower(p.remoteVirtualNetworkId)),
    ]),
  ];
}

/** The address spaces of the probe's VNet and its connected peers: addresses inside them are private here. */
export function sitePrefixes(vnet: VirtualNetworkRecord | undefined): string[] {
  if (!vnet) return [];
  return [...vnet.addressPrefixes, ...vnet.peerings.filter(connected).flatMap((p) => [...p.remoteAddressPrefixes])];
}

/** Private or public for this site, with the rule that decided. */
export function classifyForSite(address: string, site: Site | undefined): AddressClass {
  return classifyAddress(address, sitePrefixes(site?.vnet));
}

/**
 * Transit the probe cannot see through: a hub gateway used for onward routing, or a Virtual WAN hub connection (its
 * peer is the hub's `HV_…` VNet) whose hub was not among the hubs read. Spokes behind it may be reachable; the probe
 * then stays lenient. A hub that was read decides for itself (see connectivity.ts).
 */
function hasTransit(vnet: VirtualNetworkRecord, site: Site): boolean {
  const hubRead = siteHubConnection(vnet.id, site.connectivity) !== undefined;
  return vnet.peerings.some(
    (p) =>
      connected(p) && (p.useRemoteGateways === true || (!hubRead && isVirtualWanHubPeer(p.remoteVirtualNetworkId))),
  );
}

/** The vault's endpoints the site reaches through Virtual WAN or AVNM, as read (connectivity.ts). */
function reachedThroughConnectivity(
  own: readonly ExpectedEndpoint[],
  vnetId: string,
  vnet: VirtualNetworkRecord,
  connectivity: Site['connectivity'],
): Reached[] {
  if (!connectivity) return [];
  const at = { id: vnetId, location: vnet.location };
  return own.flatMap((ep) => {
    const where = vnetOfSubnet(ep.endpoint?.subnetId);
    const r = where ? connectivityReach(at, where, connectivity) : undefined;
    return r ? [{ ep, reach: r.via, basis: r.basis }] : [];
  });
}

interface Reached {
  readonly ep: ExpectedEndpoint;
  readonly reach: Reach;
  readonly basis?: string;
}

function reachOf(ep: ExpectedEndpoint, host: string, vnetId: string, vnet: VirtualNetworkRecord): Reach | undefined {
  // An endpoint that could not be read has no known subnet: lenient, it may well be here.
  if (!ep.endpoint) return 'unknown';
  const where = vnetOfSubnet(ep.endpoint.subnetId);
  if (where === lower(vnetId)) return 'vnet';
  if (where && siteVnets(vnetId, vnet).includes(where)) return 'peering';
  const ips = endpointIps(ep, host);
  const prefixes = sitePrefixes(vnet);
  if (!where && ips.length > 0 && ips.every((ip) => prefixes.some((p) => inPrefix(ip, p)))) return 'site-prefix';
  return undefined;
}

function publicAccessFor(expected: ExpectedState, site: Site | undefined): SiteExpectation['publicAccess'] {
  const vnetId = site?.vnetId;
  const { publicNetworkAccess, networkAcls } = expected.vault;
  // An absent setting reads as `undefined`: not Disabled, and no Deny default (Azure's defaults).
  if (lower(String(publicNetworkAccess)) === 'disabled') return 'disabled';
  // issue 20: in Enforced mode the perimeter decides the public path; in Learning mode the vault's settings do.
  const perimeter = perimeterVerdict(expected, vnetId);
  if (perimeter.kind === 'denies') return 'perimeter-denies';
  if (perimeter.kind === 'allows' || perimeter.kind === 'unknown') return 'firewall-allows';
  if (!networkAcls || lower(String(networkAcls.defaultAction)) !== 'deny') return 'enabled';
  // issue 20: a VNet rule admits this site only through its own subnet's Key Vault service endpoint.
  if (site && admittingSubnet(expected, site)) return 'firewall-allows';
  // The site's public egress address is not known to the probe: an IP rule may well be it.
  if (networkAcls.ipRules.length > 0 || !vnetId) return 'firewall-allows';
  return 'firewall-denies';
}

/** issue 20: the route each own endpoint meets from the site's subnet(s), by endpoint. */
function routesOf(own: readonly ExpectedEndpoint[], host: string, vnet: VirtualNetworkRecord, site: Site) {
  const system = sitePrefixes(vnet);
  return new Map(own.map((ep) => [ep, routeVerdict(endpointIps(ep, host), site, system)] as const));
}

/** issue 20: one line on how the site's subnet(s) were judged, when a route table or service endpoint took part. */
function subnetBasis(site: Site): string[] {
  const view = siteSubnets(site);
  const used = view.subnets.some((s) => s.routeTableId !== undefined || s.serviceEndpoints.length > 0);
  const unread = unreadRouteTables(site);
  const out =
    unread.length > 0 ? [`route table(s) ${unread.join(', ')} could not be read: their routes are not counted`] : [];
  if (!used) return out;
  const which = view.exact
    ? `subnet ${resourceName(view.subnets[0]?.id)}`
    : `every subnet of this VNet (PROBE_VNET_ID names no subnet), leniently`;
  return [`routes and service endpoints judged from ${which}`, ...out];
}

/**
 * The vault as this site should see it: computed once per vault and site (the pipeline and the estate map), and
 * handed to the checks. Pure. Without a site (no PROBE_VNET_ID) or its VNet record, the expectation is assumed.
 */
export function siteExpectation(expected: ExpectedState, site: Site | undefined): SiteExpectation {
  const host = expected.vault.host;
  const own = ownEndpoints(expected);
  const vnetId = site?.vnetId;
  const vnet = site?.vnet;
  const assumed = !vnetId || !vnet;
  let reached: Reached[];
  let routes = new Map<ExpectedEndpoint, RouteHit | undefined>();
  if (assumed || !site || !vnetId || !vnet) {
    reached = own.map((ep) => ({ ep, reach: 'assumed' as const }));
  } else {
    routes = routesOf(own, host, vnet, site);
    reached = own.flatMap((ep) => {
      const reach = reachOf(ep, host, vnetId, vnet);
      if (reach) return [{ ep, reach }];
      // issue 20: a route to a firewall or gateway carries the site to a spoke it is not peered with.
      const hit = routes.get(ep);
      return hit?.verdict === 'reach' ? [{ ep, reach: 'udr' as const, basis: describeRoute(hit) }] : [];
    });
    // Like transit, connectivity beyond the VNet record counts only where nothing nearer is reached.
    if (reached.length === 0) reached = reachedThroughConnectivity(own, vnetId, vnet, site.connectivity);
    if (reached.length === 0 && hasTransit(vnet, site))
      reached = own.filter(isUsable).map((ep) => ({ ep, reach: 'transit' as const }));
    // A route with next hop None drops the traffic, whatever else would carry it.
    reached = reached.filter(({ ep }) => routes.get(ep)?.verdict !== 'drop');
  }
  const publicAccess = publicAccessFor(expected, site);
  const endpoints = reached.map(({ ep, reach, basis }) => ({
    privateEndpointId: ep.connection.privateEndpointId,
    ips: endpointIps(ep, host),
    reach,
    usable: isUsable(ep),
    ...(basis ? { basis } : {}),
  }));
  const ips = [...new Set(reached.filter(({ ep }) => isUsable(ep)).flatMap(({ ep }) => endpointIps(ep, host)))];
  const unreachedIps = usableIps(expected).filter((ip) => !ips.includes(ip));
  const kind: ExpectationKind =
    reached.length > 0
      ? 'private'
      : publicAccess === 'disabled' || publicAccess === 'firewall-denies' || publicAccess === 'perimeter-denies'
        ? 'unreachable'
        : 'public';
  const perimeter = perimeterVerdict(expected, vnetId);
  const basis =
    site && vnetId && !assumed
      ? [
          ...connectivityBasis(vnetId, site.connectivity),
          ...subnetBasis(site),
          ...(perimeter.kind === 'not-perimeter' ? [] : [perimeter.basis]),
        ]
      : [];
  const blocked = [...routes].flatMap(([ep, hit]) =>
    hit?.verdict === 'drop' ? [{ privateEndpointId: ep.connection.privateEndpointId, route: describeRoute(hit) }] : [],
  );
  const serviceEndpointSubnet = site && !assumed ? admittingSubnet(expected, site) : undefined;
  return {
    kind,
    assumed,
    endpoints,
    ips,
    unreachedIps,
    publicAccess,
    basis,
    ...(blocked.length > 0 ? { blocked } : {}),
    ...(serviceEndpointSubnet ? { serviceEndpointSubnet } : {}),
  };
}

/**
 * Whether clients here must reach the vault over private link: what the data-plane check asks before it calls a
 * public answer a fault. False for a vault that is public by design from this site.
 */
export function expectsPrivateFrom(
  expected: ExpectedState | undefined,
  expectation: SiteExpectation | undefined,
): boolean {
  if (!expected || !expectation || expected.vault.connections.length === 0) return false;
  return expectation.kind === 'private';
}

/** One compact line, for the table and telemetry: `private pe-a 10.1.2.4`, `public`, `unreachable`, `~` when assumed. */
export function describeExpectation(e: SiteExpectation): string {
  const mark = e.assumed ? '~' : '';
  if (e.kind !== 'private') return `${mark}${e.kind}`;
  const parts = e.endpoints.map((x) => `${resourceName(x.privateEndpointId)}@${x.ips.join('+') || '?'}`);
  return `${mark}private ${parts.join(' ')}`.trim();
}

/**
 * A resolver's answer is right for a private site when it is not empty and every address is one the site expects.
 * A site that reaches two usable endpoints of the vault (its own VNet's and a peer's) is served by either: a zone
 * holds one record per name, so an answer naming all of them is not to be expected.
 */
export function answerFitsSite(addresses: readonly string[], site: SiteExpectation): boolean {
  return addresses.length > 0 && addresses.every((a) => site.ips.includes(a));
}

/** The site expectation as the JSON result shows it. */
export function expectationView(e: SiteExpectation): ExpectationView {
  return {
    kind: e.kind,
    assumed: e.assumed,
    endpoints: e.endpoints.map((x) => ({
      privateEndpointId: x.privateEndpointId ?? null,
      ips: [...x.ips],
      reach: x.reach,
      ...(x.basis ? { basis: x.basis } : {}),
    })),
    publicAccess: e.publicAccess,
    text: describeExpectation(e),
    ...(e.basis.length > 0 ? { basis: [...e.basis] } : {}),
  };
}
