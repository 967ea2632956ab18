import type {
  ConnectivityState,
  EffectiveConnectivityRecord,
  HubConnectionRecord,
  VirtualHubRecord,
} from './connectivity-records';

/**
 * Whether a site VNet reaches another VNet through Virtual WAN or Azure Virtual Network Manager, judged purely from
 * what was read. `lenient`: assumed reachable because what was read leaves it open (custom routing, a WAN whose type
 * or hubs could not be read, an endpoint VNet whose configurations could not be read).
 */
export interface ConnectivityReach {
  readonly via: 'vwan' | 'avnm';
  readonly lenient: boolean;
  /** One line: the hub(s) or configuration, and why it is assumed where it is. */
  readonly basis: string;
}

const lower = (s: string): string => s.toLowerCase();
const nameOf = (id: string | undefined): string => id?.split('/').pop() ?? '?';
const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && lower(a) === lower(b);

/** A peer that is a Virtual WAN hub's own VNet (`HV_…`): the spoke side of a hub virtual network connection. */
export const isVirtualWanHubPeer = (remoteVnetId: string): boolean =>
  /\/virtualNetworks\/HV_[^/]*$/i.test(remoteVnetId);

/** What ARM answered to a read that failed, for a message: `403 AuthorizationFailed`. */
function readStatus(e: { readonly statusCode: number | undefined; readonly code: string | undefined }): string {
  return [e.statusCode, e.code].filter((x) => x !== undefined).join(' ') || 'failed';
}

/** `West Europe` and `westeurope` name one region. */
export function regionKey(location: string | undefined): string | undefined {
  const k = location?.replace(/\s+/g, '').toLowerCase();
  return k ? k : undefined;
}

// ---- Virtual WAN ----------------------------------------------------------------------------------------------

const isDefaultTable = (id: string): boolean => /\/hubRouteTables\/defaultRouteTable$/i.test(id);

/** Azure's default: associated with the hub's defaultRouteTable and propagating to it (label `default`) only. */
export function defaultRouting(c: HubConnectionRecord): boolean {
  return (
    (c.associatedRouteTableId === undefined || isDefaultTable(c.associatedRouteTableId)) &&
    c.propagatedRouteTableIds.every(isDefaultTable) &&
    c.propagatedLabels.every((l) => lower(l) === 'default')
  );
}

/** A connection that carries traffic, or soon will: not one that failed or is being deleted. */
// An absent state reads as `undefined`, which names no state (here and below: no fallback to guess).
const live = (c: HubConnectionRecord): boolean => !/^(failed|deleting)$/i.test(String(c.provisioningState));

interface OnHub {
  readonly hub: VirtualHubRecord;
  readonly connection: HubConnectionRecord;
}

function hubsRead(state: ConnectivityState | undefined): { hubs: VirtualHubRecord[]; failed: string[] } {
  const hubs: VirtualHubRecord[] = [];
  const failed: string[] = [];
  for (const s of state?.virtualWan ?? []) {
    if (s.hubs.ok) hubs.push(...s.hubs.value);
    else failed.push(s.subscriptionId);
  }
  return { hubs, failed };
}

function connectionsOf(vnetId: string, hubs: readonly VirtualHubRecord[]): OnHub[] {
  return hubs.flatMap((hub) =>
    hub.connections
      .filter((c) => live(c) && same(c.remoteVirtualNetworkId, vnetId))
      .map((connection) => ({ hub, connection })),
  );
}

/** The hub connection of the site VNet, when a hub read in scope has it. */
export function siteHubConnection(siteVnetId: string, state: ConnectivityState | undefined): OnHub | undefined {
  return connectionsOf(siteVnetId, hubsRead(state).hubs)[0];
}

/**
 * Two connected VNets: the same hub, or two hubs of one WAN. A Standard WAN routes VNet to VNet through its hubs, all
 * hubs of a WAN in full mesh; a Basic WAN does not; hubs of different WANs never talk.
 */
function throughHubs(a: OnHub, b: OnHub): ConnectivityReach | undefined {
  const sameHub = same(a.hub.id, b.hub.id);
  if (!sameHub && !same(a.hub.virtualWanId, b.hub.virtualWanId)) return undefined;
  const type = lower(a.hub.wanType ?? '');
  if (type === 'basic') return undefined;
  const open = [
    ...(type === 'standard' ? [] : ['the WAN type is unknown']),
    ...(defaultRouting(a.connection) && defaultRouting(b.connection) ? [] : ['custom routing']),
  ];
  const where = sameHub ? `hub ${nameOf(a.hub.id)}` : `hubs ${nameOf(a.hub.id)} and ${nameOf(b.hub.id)}`;
  return {
    via: 'vwan',
    lenient: open.length > 0,
    basis: `Virtual WAN ${where}${open.length > 0 ? ` (${open.join(', ')}: assumed reachable)` : ''}`,
  };
}

function vwanReach(site: string, target: string, state: ConnectivityState | undefined): ConnectivityReach | undefined {
  const { hubs, failed } = hubsRead(state);
  const mine = connectionsOf(site, hubs);
  if (mine.length === 0) return undefined;
  const theirs = connectionsOf(target, hubs);
  const found = mine.flatMap((a) => theirs.flatMap((b) => throughHubs(a, b) ?? []));
  const best = found.find((r) => !r.lenient) ?? found[0];
  if (best || theirs.length > 0) return best;
  // On no hub read: it may sit on a hub of this WAN that was not read (another subscription, a failed list).
  const read = new Set(hubs.map((h) => lower(h.id)));
  const unread = mine.some(
    ({ hub }) => hub.wanHubIds === undefined || hub.wanHubIds.some((id) => !read.has(lower(id))),
  );
  if (!unread && failed.length === 0) return undefined;
  const why =
    failed.length > 0 ? `the hubs of ${failed.join(', ')} could not be read` : 'a hub of the WAN was not read';
  return {
    via: 'vwan',
    lenient: true,
    basis: `Virtual WAN hub ${nameOf(mine[0]?.hub.id)}: ${nameOf(target)} is on no hub read (${why}): assumed reachable`,
  };
}

// ---- Azure Virtual Network Manager ----------------------------------------------------------------------------

/** Network groups compare by manager and name: ARM's own examples spell the segment `networkGroups` and `groups`. */
function groupKey(id: string): string {
  const m = /^\/?subscriptions\/([^/]+)\/.*\/networkManagers\/([^/]+)\/[^/]+\/([^/]+)$/i.exec(id);
  return m ? lower(m.slice(1, 4).join('/')) : lower(id);
}

const configKey = (c: EffectiveConnectivityRecord): string => lower(c.id.replace(/^\/?/, '/'));

interface Side {
  readonly vnet: string;
  readonly region: string | undefined;
  readonly configs: readonly EffectiveConnectivityRecord[];
}

/** Same region, or regions unknown (then lenient); a global mesh spans regions. */
function regional(a: Side, b: Side, global: boolean, what: string): ConnectivityReach | undefined {
  if (global) return { via: 'avnm', lenient: false, basis: `${what} (global)` };
  if (a.region === undefined || b.region === undefined)
    return { via: 'avnm', lenient: true, basis: `${what}: a region is unknown, assumed reachable` };
  return a.region === b.region ? { via: 'avnm', lenient: false, basis: `${what} (${a.region})` } : undefined;
}

/** How one configuration both VNets are under connects them, if it does. */
function throughConfig(
  a: Side,
  b: Side,
  ca: EffectiveConnectivityRecord | undefined,
  cb: EffectiveConnectivityRecord | undefined,
): ConnectivityReach | undefined {
  const c = ca ?? cb;
  if (!c) return undefined;
  const name = nameOf(c.id);
  const hubs = c.hubIds.map(lower);
  // HubAndSpoke: the hub and its spokes are peered (AVNM's ANM_ peerings, also visible on the VNets).
  if (lower(String(c.topology)) === 'hubandspoke') {
    if ((ca && hubs.includes(lower(b.vnet))) || (cb && hubs.includes(lower(a.vnet))))
      return { via: 'avnm', lenient: false, basis: `AVNM hub-and-spoke ${name}` };
  }
  if (!ca || !cb) return undefined;
  const common = ca.memberGroupIds.map(groupKey).filter((g) => cb.memberGroupIds.map(groupKey).includes(g));
  const group = (g: string): EffectiveConnectivityRecord['groups'][number] | undefined =>
    c.groups.find((x) => groupKey(x.networkGroupId) === g);
  if (lower(String(c.topology)) === 'mesh') {
    if (common.length > 0)
      return regional(a, b, c.isGlobal || common.some((g) => group(g)?.isGlobal === true), `AVNM mesh ${name}`);
    // Both in the configuration through different groups: the docs describe the mesh per network group.
    return { via: 'avnm', lenient: true, basis: `AVNM mesh ${name}, different network groups: assumed reachable` };
  }
  // HubAndSpoke with direct connectivity: the spokes of one group form a connected group (regional unless global).
  const direct = common.filter((g) => group(g)?.directlyConnected === true);
  if (direct.length === 0) return undefined;
  return regional(
    a,
    b,
    c.isGlobal || direct.some((g) => group(g)?.isGlobal === true),
    `AVNM hub-and-spoke ${name}, spokes directly connected`,
  );
}

function avnmReach(
  site: string,
  siteRegion: string | undefined,
  target: string,
  state: ConnectivityState | undefined,
): ConnectivityReach | undefined {
  const nm = state?.networkManager;
  if (!nm?.site.ok || nm.site.value.length === 0) return undefined;
  const other = Object.entries(nm.vnets).find(([id]) => same(id, target))?.[1];
  // The site is under AVNM configurations but the endpoint VNet's could not be read: it may share one.
  if (!other || !other.configs.ok)
    return {
      via: 'avnm',
      lenient: true,
      basis: `AVNM: the configurations of ${nameOf(target)} could not be read: assumed reachable`,
    };
  const a: Side = { vnet: site, region: regionKey(siteRegion), configs: nm.site.value };
  const b: Side = { vnet: target, region: regionKey(other.location), configs: other.configs.value };
  const keys = [...new Set([...a.configs, ...b.configs].map(configKey))];
  const found = keys.flatMap(
    (k) =>
      throughConfig(
        a,
        b,
        a.configs.find((c) => configKey(c) === k),
        b.configs.find((c) => configKey(c) === k),
      ) ?? [],
  );
  return found.find((r) => !r.lenient) ?? found[0];
}

// ---- Both -------------------------------------------------------------------------------------------------------

/** How the site reaches `targetVnetId` through Virtual WAN or AVNM; undefined when what was read says it does not. */
export function connectivityReach(
  site: { readonly id: string; readonly location?: string | undefined },
  targetVnetId: string,
  state: ConnectivityState | undefined,
): ConnectivityReach | undefined {
  const found = [vwanReach(site.id, targetVnetId, state), avnmReach(site.id, site.location, targetVnetId, state)];
  return found.find((r) => r && !r.lenient) ?? found.find((r) => r !== undefined);
}

/** What could not be read of Virtual WAN and AVNM for this site, for findings that say what the site does not reach. */
export function connectivityGaps(state: ConnectivityState | undefined): string[] {
  return [
    ...(state?.virtualWan ?? []).flatMap((s) =>
      s.hubs.ok ? [] : [`the Virtual WAN hubs of subscription ${s.subscriptionId} (${readStatus(s.hubs.error)})`],
    ),
    ...(state?.networkManager && !state.networkManager.site.ok
      ? [`this VNet's AVNM connectivity configurations (${readStatus(state.networkManager.site.error)})`]
      : []),
  ];
}

/** One line per source: what was read of Virtual WAN and AVNM for this site, and what could not be. */
export function connectivityBasis(siteVnetId: string, state: ConnectivityState | undefined): string[] {
  const out: string[] = [];
  if (state?.virtualWan) {
    const { hubs } = hubsRead(state);
    const hub = siteHubConnection(siteVnetId, state)?.hub;
    out.push(
      hub
        ? `Virtual WAN: connected to hub ${nameOf(hub.id)} (${hub.wanType ?? 'type unknown'} WAN ${nameOf(hub.virtualWanId)}), ${hubs.length} hub(s) read`
        : `Virtual WAN: this VNet's hub is not among the ${hubs.length} hub(s) read: its spokes are assumed reachable`,
    );
    for (const s of state.virtualWan)
      if (!s.hubs.ok)
        out.push(`Virtual WAN: the hubs of ${s.subscriptionId} could not be read (${readStatus(s.hubs.error)})`);
  }
  const nm = state?.networkManager;
  if (nm) {
    if (!nm.site.ok)
      out.push(
        `AVNM: the effective connectivity configurations could not be read (${readStatus(nm.site.error)}): VNets connected only through AVNM are not known`,
      );
    else out.push(`AVNM: ${nm.site.value.length} effective connectivity configuration(s)`);
  }
  return out;
}
