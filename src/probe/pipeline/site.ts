import { parseArmId } from '../names';
import type { ForwardingRulesetRecord, InboundEndpointRecord, Site } from '../types';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

/**
 * Stage 2b': the site, the VNet the probe stands in (PROBE_VNET_ID / --vnet): its record, the forwarding rulesets
 * linked to it and the resolvers' inbound endpoints their rules (or the VNet's DNS servers) send to. Every read is
 * shared across the run. Failed reads are skipped: these facts sharpen findings, and their absence must not change a
 * vault's status (without the VNet record the expectation is assumed; without rulesets the VNets serving its
 * resolution stay unknown, and ZONE_NOT_LINKED judges only what it knows). Undefined when no VNet was given.
 */
export async function readSite(req: ProbeRequest, reader: BudgetedReader): Promise<Site | undefined> {
  const vnetId = req.vnetId;
  if (!vnetId) return undefined;
  const vnet = await reader.vnet(vnetId).catch(() => undefined);
  if (!vnet) return { vnetId };
  let rulesets: ForwardingRulesetRecord[] | undefined;
  let inboundEndpoints: InboundEndpointRecord[] | undefined;
  try {
    rulesets = await reader.rulesets(vnetId);
    const subs = [
      ...new Set(
        [
          ...req.subscriptions,
          parseArmId(vnetId)?.subscriptionId ?? '',
          ...rulesets.map((r) => parseArmId(r.id)?.subscriptionId ?? ''),
        ]
          .filter(Boolean)
          .map((x) => x.toLowerCase()),
      ),
    ];
    if (rulesets.length > 0 || vnet.dnsServers.length > 0) inboundEndpoints = await reader.inbound(subs);
  } catch {
    // As above.
  }
  return {
    vnetId,
    vnet,
    ...(rulesets ? { rulesets } : {}),
    ...(inboundEndpoints ? { inboundEndpoints } : {}),
  };
}
