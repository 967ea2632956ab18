import { isVirtualWanHubPeer } from '../connectivity';
import { vnetOfSubnet } from '../expectation';
import { parseArmId } from '../names';
import type { AvnmVnetState, ConnectivityState, ExpectedState, Site } from '../types';
import { readOutcome } from './read-errors';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

const lower = (s: string): string => s.toLowerCase();

/**
 * Stage 2c (issue 10): Virtual WAN and AVNM connectivity, read only where it can change what this site expects: when
 * the vault has an endpoint in a VNet that is neither the probe's nor a peer of it. Hubs are read when the probe's
 * VNet has a hub connection (an `HV_` peer), in the subscriptions in scope; AVNM configurations of each endpoint VNet
 * only when the probe's own VNet is under some. Every read is shared across the run; a failed one is kept as data:
 * connectivity sharpens the expectation, and its absence never fails a vault. Returns the site with the connectivity
 * this vault needed.
 */
export async function readConnectivity(
  site: Site | undefined,
  expected: ExpectedState,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<Site | undefined> {
  const vnet = site?.vnet;
  const vnetId = req.vnetId;
  if (!site || !vnet || !vnetId) return site;
  const near = new Set([lower(vnetId), ...vnet.peerings.map((p) => lower(p.remoteVirtualNetworkId))]);
  const targets = [
    ...new Set(
      expected.endpoints.flatMap((e) => {
        const where = vnetOfSubnet(e.endpoint?.subnetId);
        return where && !near.has(where) ? [where] : [];
      }),
    ),
  ];
  if (targets.length === 0) return site;

  const connectivity: { -readonly [K in keyof ConnectivityState]: ConnectivityState[K] } = {};
  if (vnet.peerings.some((p) => isVirtualWanHubPeer(p.remoteVirtualNetworkId))) {
    const subs = [
      ...new Set(
        [...req.subscriptions, parseArmId(vnetId)?.subscriptionId ?? '', expected.vault.subscriptionId]
          .filter(Boolean)
          .map(lower),
      ),
    ];
    connectivity.virtualWan = await Promise.all(
      subs.map(async (subscriptionId) => ({
        subscriptionId,
        hubs: await readOutcome(
          () => reader.hubs(subscriptionId),
          'list virtual hubs',
          `/subscriptions/${subscriptionId}`,
        ),
      })),
    );
  }
  const own = await readOutcome(
    () => reader.effectiveConnectivity(vnetId),
    'list effective connectivity configurations',
    vnetId,
  );
  const vnets: Record<string, AvnmVnetState> = {};
  if (own.ok && own.value.length > 0) {
    await Promise.all(
      targets.map(async (id) => {
        const configs = await readOutcome(
          () => reader.effectiveConnectivity(id),
          'list effective connectivity configurations',
          id,
        );
        // The region decides a regional mesh; unknown, the reach is assumed (connectivity.ts).
        const location = configs.ok
          ? await reader.vnet(id).then(
              (v) => v.location,
              () => undefined,
            )
          : undefined;
        vnets[id] = { configs, location };
      }),
    );
  }
  connectivity.networkManager = { site: own, vnets };
  return { ...site, connectivity };
}
