import type { HubVirtualNetworkConnection, VirtualHub, VirtualWAN } from '@azure/arm-network';
import { isRestError, RestError } from '@azure/core-rest-pipeline';
import { readableId } from '../probe/inventory';
import { parseArmId } from '../probe/names';
import type { EffectiveConnectivityRecord, VirtualHubRecord } from '../probe/types';
import type { ArmClients } from './arm-clients';
import { guard } from './arm-errors';
import { collectPages, MAX_PAGES, REFUSED_CODES } from './arm-http';
import { mapEffectiveConnectivity, mapVirtualHub } from './connectivity-mappers';

/**
 * The subscription's Virtual WAN hubs (`GET …/virtualHubs`), each hub's VNet connections and its WAN (one read per
 * WAN). A WAN that cannot be read leaves its type to the hub's sku and its other hubs unknown, never fails the list.
 */
export async function listVirtualHubs(
  clients: ArmClients,
  subscriptionId: string,
  signal: AbortSignal,
): Promise<VirtualHubRecord[]> {
  return guard('list virtual hubs', `/subscriptions/${subscriptionId}`, async () => {
    const hubs: VirtualHub[] = [];
    await collectPages(
      clients.net(subscriptionId).virtualHubs.list(clients.op(signal)).byPage(),
      clients.origin,
      (h) => void hubs.push(h),
    );
    const wans = new Map<string, VirtualWAN | undefined>();
    const out: VirtualHubRecord[] = [];
    for (const hub of hubs) {
      const wanId = hub.virtualWan?.id;
      if (wanId && !wans.has(wanId.toLowerCase())) wans.set(wanId.toLowerCase(), await readWan(clients, wanId, signal));
      const p = readableId(hub.id ?? '', 'list hub virtual network connections');
      const connections: HubVirtualNetworkConnection[] = [];
      await collectPages(
        clients
          .net(p.subscriptionId)
          .hubVirtualNetworkConnections.list(p.resourceGroup, p.name, clients.op(signal))
          .byPage(),
        clients.origin,
        (c) => void connections.push(c),
      );
      out.push(mapVirtualHub(hub, wanId ? wans.get(wanId.toLowerCase()) : undefined, connections));
    }
    return out;
  });
}

async function readWan(clients: ArmClients, id: string, signal: AbortSignal): Promise<VirtualWAN | undefined> {
  const p = parseArmId(id);
  if (!p) return undefined;
  try {
    return await clients.net(p.subscriptionId).virtualWans.get(p.resourceGroup, p.name, clients.op(signal));
  } catch (error) {
    // Denied or gone: the hubs still say enough to judge leniently (see connectivity.ts).
    if (isRestError(error) && error.statusCode !== undefined) return undefined;
    throw error;
  }
}

/**
 * `POST …/virtualNetworks/{vnet}/listNetworkManagerEffectiveConnectivityConfigurations`, following `skipToken` in
 * the body page by page; a token that repeats, or more than MAX_PAGES pages, stops the read with an error.
 */
export async function listEffectiveConnectivityConfigurations(
  clients: ArmClients,
  vnetId: string,
  signal: AbortSignal,
): Promise<EffectiveConnectivityRecord[]> {
  return guard('list effective connectivity configurations', vnetId, async () => {
    const p = readableId(vnetId, 'list effective connectivity configurations');
    const net = clients.net(p.subscriptionId);
    const out: EffectiveConnectivityRecord[] = [];
    const seen = new Set<string>();
    let skipToken: string | undefined;
    for (let page = 1; ; page++) {
      const result = await net.listNetworkManagerEffectiveConnectivityConfigurations(
        p.resourceGroup,
        p.name,
        skipToken ? { skipToken } : {},
        clients.op(signal),
      );
      for (const c of result.value ?? []) out.push(mapEffectiveConnectivity(c));
      skipToken = result.skipToken || undefined;
      if (!skipToken) return out;
      if (seen.has(skipToken) || page >= MAX_PAGES)
        throw new RestError(
          `the skipToken repeats or the pages passed ${MAX_PAGES} after ${page} page(s); paging stopped`,
          {
            code: REFUSED_CODES.pagingLoop,
          },
        );
      seen.add(skipToken);
    }
  });
}
