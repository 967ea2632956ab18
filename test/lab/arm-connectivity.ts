import type * as http from 'node:http';
import { isRecord, lower, segmentsOf, type ArmResource, type ArmStore } from './arm-store';
import { sendError, sendJson } from './arm-wire';

/**
 * issue 10: Network Manager Effective Connectivity Configurations - List (a POST on the VNet; azure-rest-api-specs
 * Microsoft.Network stable 2025-05-01, `networkManagerEffectiveConfiguration.json`, example
 * `NetworkManagerEffectiveConnectivityConfigurationsList.json`).
 */
export const EFFECTIVE_CONNECTIVITY =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/listNetworkManagerEffectiveConnectivityConfigurations\/?$/i;

const CONFIG_TYPE = 'microsoft.network/networkmanagers/connectivityconfigurations';
const MEMBER_TYPE = 'microsoft.network/networkmanagers/networkgroups/staticmembers';

/**
 * The connectivity configurations in effect for the VNet: every stored configuration one of whose `appliesToGroups`
 * holds the VNet as a static member, with those groups as `configurationGroups`. Pages of `pageSize` with an opaque
 * `skipToken` in the body, both ways (the request's `QueryRequestOptions`, the answer's `skipToken`).
 */
export async function answerEffectiveConnectivity(
  store: ArmStore,
  url: URL,
  bodyPromise: Promise<{ text: string }>,
  res: http.ServerResponse,
  pageSize: number,
): Promise<void> {
  const body = await bodyPromise;
  if (res.destroyed) return;
  const segments = segmentsOf(url.pathname).slice(0, -1);
  const vnet = lower(segments);
  if (!store.resources.has(vnet)) {
    sendError(
      res,
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Network/virtualNetworks/${segments.at(-1) ?? ''}' under resource group '${segments[3] ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFound`,
    );
    return;
  }
  let token: unknown;
  try {
    token = body.text.trim() ? (JSON.parse(body.text) as Record<string, unknown>)['skipToken'] : undefined;
  } catch {
    sendError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    return;
  }
  const skip = typeof token === 'string' ? /^lab-skip-(\d+)$/.exec(token)?.[1] : '0';
  if (skip === undefined) {
    sendError(res, 400, 'InvalidSkipToken', `The skipToken '${String(token)}' is not valid.`);
    return;
  }
  const items = effectiveConfigurations(store, vnet);
  const from = Number(skip);
  const page = items.slice(from, from + pageSize);
  sendJson(res, 200, {
    value: page,
    ...(from + pageSize < items.length ? { skipToken: `lab-skip-${from + pageSize}` } : {}),
  });
}

function effectiveConfigurations(store: ArmStore, vnet: string): ArmResource[] {
  const all = [...store.resources.values()];
  // The network groups holding the VNet, by lower-cased group id.
  const groups = new Map<string, ArmResource>();
  for (const m of all.filter((r) => r.fullType === MEMBER_TYPE)) {
    const p = m.resource['properties'];
    const member = isRecord(p) ? p['resourceId'] : undefined;
    if (typeof member !== 'string' || member.toLowerCase() !== vnet) continue;
    // A member's parent is its network group.
    const group = store.get(m.parent);
    if (group) groups.set(group.id.toLowerCase(), group);
  }
  return all
    .filter((r) => r.fullType === CONFIG_TYPE)
    .flatMap((r) => {
      const props = isRecord(r.resource['properties']) ? r.resource['properties'] : {};
      const applies = Array.isArray(props['appliesToGroups']) ? props['appliesToGroups'] : [];
      const mine = applies.flatMap((g) => {
        const id = isRecord(g) ? g['networkGroupId'] : undefined;
        const group = typeof id === 'string' ? groups.get(id.toLowerCase()) : undefined;
        return group ? [group] : [];
      });
      if (mine.length === 0) return [];
      return [
        {
          id: r.resource.id,
          properties: props,
          configurationGroups: mine.map((g) => {
            const gp = isRecord(g['properties']) ? g['properties'] : {};
            return {
              id: g.id,
              properties: {
                description: gp['description'],
                memberType: gp['memberType'],
                provisioningState: gp['provisioningState'],
              },
            };
          }),
        },
      ];
    });
}
