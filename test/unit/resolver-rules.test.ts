import { checkInput } from '../../src/probe/checks';
import { checkResolverLoop } from '../../src/probe/checks/resolver-loop';
import { checkZoneLinks } from '../../src/probe/checks/zone-links';
import { arrivalOf, loopsOf, resolvingVnet, servingVnets, type ResolutionView } from '../../src/probe/resolution';
import type { ExpectedState, ForwardingRulesetRecord, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

// Issue 20 items 5 and 6: resolver rules as Azure applies them, and NXDOMAIN fallback.
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('spoke');
const HUB = net('hub');
const ONPREM_HUB = net('onprem-hub');
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const NAMES = ['kv1.vault.azure.net', 'kv1.privatelink.vaultcore.azure.net'];
const inboundEndpoints = [
  { id: 'in-hub', ips: ['10.1.0.70'], virtualNetworkId: HUB },
  { id: 'in-onprem', ips: ['10.9.0.70'], virtualNetworkId: ONPREM_HUB },
];
const rules = (...r: [string, string][]): ForwardingRulesetRecord[] => [
  {
    id: 'rs-spokes',
    linkedVnets: [SPOKE],
    rules: r.map(([domainName, target], i) => ({ name: `r${i}`, domainName, targets: [target], enabled: true })),
  },
];
const view = (rulesets: ForwardingRulesetRecord[]): Site => ({
  vnetId: SPOKE,
  vnet: { id: SPOKE, addressPrefixes: ['10.2.0.0/16'], dnsServers: [], peerings: [] },
  rulesets,
  inboundEndpoints,
});

describe('forwarding rules: the longest matching domain only, no wildcard for reserved domains', () => {
  it.each([
    ['a vault.azure.net rule', rules(['vault.azure.net.', '10.1.0.70']), [SPOKE, HUB]],
    [
      'only the longest of azure.net and vault.azure.net',
      rules(['azure.net.', '10.9.0.70'], ['vault.azure.net.', '10.1.0.70'], ['vaultcore.azure.net.', '10.1.0.70']),
      [SPOKE, HUB],
    ],
    ['a wildcard rule serves no reserved domain', rules(['.', '10.1.0.70']), [SPOKE]],
    [
      'a wildcard beside a vault rule: the vault rule',
      rules(['.', '10.9.0.70'], ['vault.azure.net.', '10.1.0.70']),
      [SPOKE, HUB],
    ],
  ] as const)('%s', (_what, rs, want) => {
    expect(servingVnets(view(rs), NAMES)).toEqual(want.map((v) => v.toLowerCase()));
  });

  it('the VNet that resolves the privatelink name: the rule target, custom DNS, or the VNet itself', () => {
    const name = NAMES[1] ?? '';
    expect(resolvingVnet(view(rules(['vaultcore.azure.net.', '10.1.0.70'])), name)).toBe(HUB.toLowerCase());
    expect(resolvingVnet(view(rules(['.', '10.1.0.70'])), name)).toBe(SPOKE.toLowerCase());
    const custom: ResolutionView = { ...view([]), vnet: { ...view([]).vnet!, dnsServers: ['10.9.0.70'] } };
    expect(resolvingVnet(custom, name)).toBe(ONPREM_HUB.toLowerCase());
    expect(resolvingVnet(view(rules(['vaultcore.azure.net.', '192.0.2.53'])), name)).toBeUndefined();
  });
});

describe("a ruleset linked to an inbound endpoint's own VNet processes what arrives there", () => {
  const NAME = NAMES[1] ?? '';
  /** A ruleset linked to the hub (and to whatever else is given), with its link IDs. */
  const hubRuleset = (id: string, linked: string[], ...r: [string, string][]): ForwardingRulesetRecord => ({
    id,
    linkedVnets: linked,
    links: linked.map((v) => ({
      id: `${id}/virtualNetworkLinks/link-${v.split('/').pop() ?? ''}`,
      virtualNetworkId: v,
    })),
    rules: r.map(([domainName, target], i) => ({ name: `h${i}`, domainName, targets: [target], enabled: true })),
  });
  const spokeRule = rules(['vault.azure.net.', '10.1.0.70'], ['vaultcore.azure.net.', '10.1.0.70']);
  const at = (resolverRulesets: ForwardingRulesetRecord[], custom = false): Site => {
    const base = view(custom ? [] : spokeRule);
    return {
      ...base,
      ...(custom ? { vnet: { ...base.vnet!, dnsServers: ['10.1.0.70'] } } : {}),
      resolverRulesets,
    };
  };

  it.each([
    ['no ruleset linked to the hub: the hub answers', [], HUB],
    [
      "the hub's wildcard rule does not apply to a reserved domain: the hub answers",
      [hubRuleset('rs-hub', [HUB], ['.', '192.0.2.53'], ['contoso.com.', '192.0.2.53'])],
      HUB,
    ],
    [
      "a ruleset linked to another VNet only: not the hub's",
      [hubRuleset('rs-other', [ONPREM_HUB], ['vaultcore.azure.net.', '192.0.2.53'])],
      HUB,
    ],
    [
      "the hub's vaultcore rule applies: the query leaves for its target",
      [hubRuleset('rs-hub', [HUB], ['vaultcore.azure.net.', '10.9.0.70'])],
      ONPREM_HUB,
    ],
    [
      "the hub's rule to a server ARM does not describe: no VNet answers",
      [hubRuleset('rs-hub', [HUB], ['vaultcore.azure.net.', '192.0.2.53'])],
      undefined,
    ],
  ] as const)('a spoke rule sends the name to the hub: %s', (_what, rs, want) => {
    expect(resolvingVnet(at([...rs]), NAME)).toBe(want?.toLowerCase());
    expect(resolvingVnet(at([...rs], true), NAME)).toBe(want?.toLowerCase());
  });

  it('the arrival at the hub serves the spoke from where the hub sends it, not from the hub', () => {
    const hubForwards = at([hubRuleset('rs-hub', [HUB], ['vaultcore.azure.net.', '10.9.0.70'])]);
    expect(servingVnets(hubForwards, [NAME])).toEqual([SPOKE, ONPREM_HUB].map((v) => v.toLowerCase()));
    expect(servingVnets(at([]), [NAME])).toEqual([SPOKE, HUB].map((v) => v.toLowerCase()));
  });

  it("a rule to the hub's own inbound endpoint, in a ruleset linked to the hub, is a loop naming the link", () => {
    // The spokes' ruleset also linked to the hub: its rule sends the query back to the endpoint it arrived at.
    const looping = hubRuleset('rs-spokes', [SPOKE, HUB], ['vaultcore.azure.net.', '10.1.0.70']);
    for (const site of [at([looping]), at([looping], true)]) {
      const a = arrivalOf(site, NAME);
      expect(a).toMatchObject({
        kind: 'loop',
        loop: {
          vnetId: HUB.toLowerCase(),
          linkId: 'rs-spokes/virtualNetworkLinks/link-hub',
          rule: { rulesetId: 'rs-spokes', name: 'h0', domainName: 'vaultcore.azure.net.' },
          endpoint: { id: 'in-hub' },
        },
      });
      expect(resolvingVnet(site, NAME)).toBeUndefined();
      expect(servingVnets(site, [NAME])).toEqual([SPOKE.toLowerCase()]);
      expect(loopsOf(site, NAMES)).toHaveLength(1);
    }
    // The same rule without the hub link: no loop, the hub answers.
    const healthy = at([hubRuleset('rs-spokes', [SPOKE], ['vaultcore.azure.net.', '10.1.0.70'])]);
    expect(loopsOf(healthy, NAMES)).toEqual([]);
    expect(resolvingVnet(healthy, NAME)).toBe(HUB.toLowerCase());
  });

  it('RESOLVER_FORWARDING_LOOP names the link to remove and the rule; ZONE_NOT_LINKED stays silent', () => {
    const looping = hubRuleset(
      `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/rs-spokes`,
      [SPOKE, HUB],
      ['vault.azure.net.', '10.1.0.70'],
    );
    const link = `${looping.id}/virtualNetworkLinks/link-hub`;
    const exp = withZone(expected([endpoint('pe1', '10.2.1.4')]), zone({ kv1: ['10.2.1.4'] }, [HUB]));
    const failing = observed({
      osError: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: '' },
      dnsError: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: '' },
    });
    const input = checkInput({ cloud: CLOUD, expected: exp, observed: failing, site: at([looping]) });
    const [f, ...more] = checkResolverLoop(input);
    expect(more).toEqual([]);
    expect(f).toMatchObject({
      code: 'RESOLVER_FORWARDING_LOOP',
      severity: 'warning',
      resourceId: link,
      details: { rule: 'h0', domain: 'vault.azure.net.', linkId: link, vnetId: HUB.toLowerCase(), hosts: [NAMES[0]] },
      fix: [
        `az dns-resolver vnet-link delete --subscription '${SUB}' -g 'dns' --ruleset-name 'rs-spokes' -n 'link-hub'`,
      ],
    });
    expect(f?.confirm?.[0]).toMatch(/^az dns-resolver vnet-link list .*--ruleset-name 'rs-spokes'/);
    expect(checkZoneLinks(input)).toEqual([]);
    // Without the hub link: no loop, and the hub's zone link serves the spoke.
    const healthy = { ...looping, linkedVnets: [SPOKE], links: [] };
    expect(checkResolverLoop({ ...input, site: at([healthy]) })).toEqual([]);
    // A site whose VNet was not read judges nothing.
    expect(checkResolverLoop({ ...input, site: { vnetId: SPOKE } })).toEqual([]);
  });

  it('two hubs that forward to each other loop where the cycle closes', () => {
    const site = at([
      hubRuleset('rs-hub', [HUB], ['vaultcore.azure.net.', '10.9.0.70']),
      hubRuleset('rs-onprem', [ONPREM_HUB], ['vaultcore.azure.net.', '10.1.0.70']),
    ]);
    expect(arrivalOf(site, NAME)).toMatchObject({
      kind: 'loop',
      loop: { vnetId: ONPREM_HUB.toLowerCase(), rule: { rulesetId: 'rs-onprem' }, endpoint: { id: 'in-hub' } },
    });
  });

  it('a probe VNet that holds the resolver, with its own ruleset sending to its endpoint, loops at once', () => {
    const own: Site = {
      vnetId: HUB,
      vnet: { id: HUB, addressPrefixes: ['10.1.0.0/16'], dnsServers: [], peerings: [] },
      rulesets: [hubRuleset('rs-hub', [HUB], ['vault.azure.net.', '10.1.0.70'])],
      inboundEndpoints,
    };
    expect(loopsOf(own, NAMES).map((l) => l.linkId)).toEqual(['rs-hub/virtualNetworkLinks/link-hub']);
  });
});

function zone(records: Record<string, string[]>, linkedTo: string[], policy?: string): PrivateDnsZoneRecord {
  return {
    id: ZONE,
    name: 'privatelink.vaultcore.azure.net',
    subscriptionId: SUB,
    resourceGroup: 'dns',
    links: linkedTo.map((v, i) => ({
      id: `${ZONE}/virtualNetworkLinks/l${i}`,
      name: `l${i}`,
      virtualNetworkId: v,
      resolutionPolicy: policy,
    })),
    aRecords: Object.entries(records).map(([name, ips]) => ({ id: `${ZONE}/A/${name}`, name, ips, ttl: 10 })),
  };
}
const withZone = (exp: ExpectedState, z: PrivateDnsZoneRecord): ExpectedState => ({ ...exp, zones: [z] });

describe('ZONE_NOT_LINKED names the VNet where the queries are resolved', () => {
  it('a rule sends vaultcore.azure.net to the on-premises hub resolver: link the zone there', () => {
    const exp = withZone(expected([endpoint('pe1', '10.2.1.4')]), zone({ kv1: ['10.2.1.4'] }, [HUB]));
    const site = view(rules(['vaultcore.azure.net.', '10.9.0.70']));
    const [f] = checkZoneLinks(
      checkInput({ cloud: CLOUD, expected: exp, observed: observed({ os: ['198.51.100.10'] }), site }),
    );
    expect(f?.code).toBe('ZONE_NOT_LINKED');
    expect(f?.details).toMatchObject({ vnetId: ONPREM_HUB.toLowerCase() });
    expect(f?.message).toContain(`${ONPREM_HUB.toLowerCase()}, where this VNet's queries for it are resolved`);
    expect(f?.fix?.join('\n')).toContain('onprem-hub');
  });
});

describe('NXDOMAIN fallback', () => {
  const nx = observed({
    osError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' },
    dnsError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' },
  });
  const site = view([]);
  it('split-brain suggests NxDomainRedirect where the link has the default policy', () => {
    const exp = withZone(expected([], 'Enabled'), zone({}, [SPOKE]));
    const [f] = checkZoneLinks(checkInput({ cloud: CLOUD, expected: exp, observed: nx, site }));
    expect(f?.code).toBe('NXDOMAIN_SPLIT_BRAIN');
    expect(f?.fix?.join('\n')).toContain('NxDomainRedirect');
  });
  it('never suggests the policy already set: the NXDOMAIN comes from elsewhere', () => {
    const exp = withZone(expected([], 'Enabled'), zone({}, [SPOKE], 'NxDomainRedirect'));
    const [f] = checkZoneLinks(checkInput({ cloud: CLOUD, expected: exp, observed: nx, site }));
    expect(f?.code).toBe('NXDOMAIN_SPLIT_BRAIN');
    expect(f?.fix ?? []).toEqual([]);
    expect(f?.confirm?.join('\n') ?? '').not.toContain('NxDomainRedirect');
    expect(f?.message).toContain('another resolver on the path');
  });
});
