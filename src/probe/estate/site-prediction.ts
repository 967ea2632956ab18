import { resolveZone, type ResolverFacts } from '../resolution/chain';
import { answerFor, type Answer } from './answer';
import type { PrivateDnsZoneRecord, Site, VaultRecord } from '../types';
import { cnamePublished, namesOf, PUBLIC_ANSWER } from './predict';

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The estate's facts as a site has read them: its own VNet, the rulesets linked to it, the resolvers' inbound
 * endpoints and the vault's zones with their links. Firewalls are not read at a site: a VNet whose DNS server is a
 * firewall's DNS proxy is predicted as `server` there, and not compared.
 */
export function siteResolverFacts(site: Site, zones: readonly PrivateDnsZoneRecord[]): ResolverFacts {
  const rulesets = site.rulesets ?? [];
  return {
    vnet: (id) => (same(id, site.vnetId) ? site.vnet : undefined),
    rulesetsLinkedTo: (id) =>
      same(id, site.vnetId) ? rulesets : rulesets.filter((r) => r.linkedVnets.some((v) => same(v, id))),
    zonesNamed: (name) => zones.filter((z) => same(z.name, name)),
    inboundAt: (address) => (site.inboundEndpoints ?? []).find((e) => e.ips.includes(address)),
    dnsProxyAt: () => undefined,
  };
}

/** What the estate map predicts for a vault in a VNet, and the resource IDs the prediction relied on. */
export interface SitePrediction {
  readonly answer: Answer;
  readonly chain: readonly string[];
}

/**
 * The estate map's prediction for the site's own VNet (the same `resolveZone`, `answerFor` and CNAME rule, the same
 * names), to compare with what the probe observed there. Undefined where the site's VNet was not read.
 */
export function predictAtSite(
  site: Site,
  vault: VaultRecord,
  zones: readonly PrivateDnsZoneRecord[],
  zoneName: string,
  publicSuffix: string,
  label: string,
): SitePrediction | undefined {
  if (!site.vnet) return undefined;
  const resolution = resolveZone(
    site.vnetId,
    zoneName,
    namesOf(zoneName, publicSuffix),
    siteResolverFacts(site, zones),
  );
  const answer = cnamePublished(vault) ? answerFor(resolution, label) : PUBLIC_ANSWER;
  return { answer, chain: resolution.chain };
}
