import { parseArmId } from '../names';
import type { ForwardingRulesetRecord, InboundEndpointRecord, Site } from '../types';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

/**
 * Stage 2b': the site, the VNet the probe stands in (PROBE_VNET_ID / --vnet): its record, the forwarding rulesets
 * linked to it, the resolvers' inbound endpoints their rules (or the VNet's DNS servers) send to, and the rulesets
 * linked to those endpoints' VNets (issue 20: they process what arrives there). Every read is
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
  const resolverRulesets =
    rulesets && inboundEndpoints
      ? await rulesetsOfArrivals(vnetId, [...vnet.dnsServers, ...targetsOf(rulesets)], inboundEndpoints, reader)
      : undefined;
  return {
    vnetId,
    vnet,
    ...(rulesets ? { rulesets } : {}),
    ...(inboundEndpoints ? { inboundEndpoints } : {}),
    ...(resolverRulesets ? { resolverRulesets } : {}),
  };
}

const targetsOf = (rulesets: readonly ForwardingRulesetRecord[]): string[] =>
  rulesets.flatMap((r) => r.rules.flatMap((rule) => rule.targets));

/**
 * issue 20: the rulesets linked to the VNets of the inbound endpoints this VNet's queries reach (its DNS servers, its
 * rules' targets, and in turn those rulesets' targets, up to four VNets): they process what arrives there. A failed
 * read leaves that VNet without rules (its zone links answer, as before).
 */
async function rulesetsOfArrivals(
  vnetId: string,
  servers: readonly string[],
  inbound: readonly InboundEndpointRecord[],
  reader: BudgetedReader,
): Promise<ForwardingRulesetRecord[]> {
  const out = new Map<string, ForwardingRulesetRecord>();
  const done = new Set([vnetId.toLowerCase()]);
  let asked: string[] = [...servers];
  for (let hop = 0; hop < 4 && asked.length > 0; hop++) {
    const vnets = inbound
      .filter((e) => e.ips.some((ip) => asked.includes(ip)))
      .map((e) => e.virtualNetworkId)
      .filter((v) => !done.has(v.toLowerCase()));
    asked = [];
    for (const v of new Set(vnets)) {
      done.add(v.toLowerCase());
      const found = await reader.rulesets(v).catch(() => []);
      for (const r of found) out.set(r.id.toLowerCase(), r);
      asked.push(...targetsOf(found));
    }
  }
  return [...out.values()];
}
