import { checkInput } from '../../src/probe/checks';
import { checkZoneLinks } from '../../src/probe/checks/zone-links';
import { resolvingVnet, servingVnets, type ResolutionView } from '../../src/probe/resolution';
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
