import { commands } from '../commands';
import { hostLabel, resourceName } from '../endpoints';
import { finding, type Finding } from '../findings';
import { loopsOf } from '../resolution';
import type { CheckInput } from './check';

/**
 * RESOLVER_FORWARDING_LOOP (issue 20): the vault's names, as this VNet resolves them, meet a forwarding rule that
 * targets a DNS Private Resolver inbound endpoint, in a ruleset linked to that endpoint's own VNet: the resolver
 * forwards them to itself (FACTS.md, DNS Private Resolver). Judged from ARM alone; the answers it breaks are the
 * DNS findings it explains. The object to change is the ruleset's link to the resolver's VNet, as Microsoft's
 * guidance says: removing the rule instead would also cut off the spokes that rely on it.
 */
export function checkResolverLoop({ expected, observed, site }: CheckInput): Finding[] {
  if (!site?.vnet) return [];
  const zone = expected?.zones?.[0]?.name;
  const names = [observed.host, ...(zone ? [`${hostLabel(observed.host)}.${zone}`] : [])];
  const server = site.vnet.dnsServers[0];
  return loopsOf(site, names).map((loop) => {
    const { rule, target } = loop;
    const caught = names.filter((n) => loopsOf(site, [n]).some((l) => sameRule(l.rule, rule)));
    const link = loop.linkId ?? `the ruleset's link to ${loop.endpoint.virtualNetworkId}`;
    return finding(
      'RESOLVER_FORWARDING_LOOP',
      `Forwarding rule ${rule.name} (${rule.domainName} -> ${target}) of ruleset ${resourceName(rule.rulesetId)} sends ${caught.join(', ')} to inbound endpoint ${resourceName(loop.endpoint.id)}, in ${loop.endpoint.virtualNetworkId}, and the ruleset is linked to that VNet (${link}): every query that arrives there is forwarded to the same endpoint again, a resolution loop.`,
      {
        ruleset: rule.rulesetId,
        rule: rule.name,
        domain: rule.domainName,
        target,
        vnetId: loop.vnetId,
        ...(loop.linkId ? { linkId: loop.linkId } : {}),
        inboundEndpointId: loop.endpoint.id,
        hosts: caught,
        ...(server ? { server } : {}),
      },
      {
        resourceId: loop.linkId ?? rule.rulesetId,
        ...(loop.linkId ? { fix: commands.deleteRulesetLink(loop.linkId) } : {}),
        confirm: [commands.listRulesetLinks(rule.rulesetId), commands.showRuleset(rule.rulesetId)],
      },
    );
  });
}

const sameRule = (a: { rulesetId: string; name: string }, b: { rulesetId: string; name: string }): boolean =>
  a.rulesetId === b.rulesetId && a.name === b.name;
