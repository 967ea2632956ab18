import { indexFacts, type NetworkFacts } from '../../src/probe/estate';
import { EstateDiagnoser } from '../../src/probe/estate/diagnose';
import { EstateCollector } from '../../src/probe/estate/report';
import { Expectations, judgePair, type EstateVault } from '../../src/probe/estate/judge';
import { predict, predictedAnswer } from '../../src/probe/estate/predict';
import type { Finding } from '../../src/probe/findings';
import { answerFor } from '../../src/probe/estate/answer';
import { judgeQueried, siteReachesServer } from '../../src/probe/estate/query';
import { resolveZone } from '../../src/probe/resolution/chain';
import type { PrivateDnsZoneRecord, VirtualNetworkRecord } from '../../src/probe/types';
import { endpoint, expected, SUB } from './builders';

// issue 25: the estate's prediction and judgement, pure, on plain data.
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const HUB = net('hub');
const ZONE_NAME = 'privatelink.vaultcore.azure.net';
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/${ZONE_NAME}`;
const NAMES = ['*.vault.azure.net', `*.${ZONE_NAME}`];

const vnet = (name: string, o: Partial<VirtualNetworkRecord> = {}): VirtualNetworkRecord => ({
  id: net(name),
  addressPrefixes: [],
  dnsServers: [],
  peerings: name === 'hub' ? [] : [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.0.0.0/16'] }],
  ...o,
});
const zone = (linked: string[], records: Record<string, string[]>, policy?: string): PrivateDnsZoneRecord => ({
  id: ZONE,
  name: ZONE_NAME,
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links: linked.map((v) => ({
    id: `${ZONE}/virtualNetworkLinks/l-${v}`,
    name: `l-${v}`,
    virtualNetworkId: net(v),
    resolutionPolicy: policy,
  })),
  aRecords: Object.entries(records).map(([name, ips]) => ({ id: `${ZONE}/A/${name}`, name, ips, ttl: 10 })),
});
const facts = (o: Partial<NetworkFacts>): NetworkFacts => ({
  vnets: [],
  zones: [],
  rulesets: [],
  inboundEndpoints: [],
  firewalls: [],
  firewallPolicies: [],
  errors: [],
  ...o,
});
const FW = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/azureFirewalls/fw`;
const POLICY = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/firewallPolicies/p`;
const name = (id: string): string => id.split('/').pop() ?? id;

describe('resolveZone: the chain a VNet resolves a zone through', () => {
  const base = facts({
    vnets: [
      vnet('hub'),
      vnet('rs'),
      vnet('in', { dnsServers: ['10.0.0.70'] }),
      vnet('fw', { dnsServers: ['10.0.1.4'] }),
      vnet('fwoff', { dnsServers: ['10.0.1.5'] }),
      vnet('vm', { dnsServers: ['10.9.0.4'] }),
      vnet('loop'),
    ],
    zones: [zone(['hub'], { kv1: ['10.0.2.4'] })],
    rulesets: [
      {
        id: 'rs1',
        linkedVnets: [net('rs')],
        rules: [{ name: 'kv', domainName: 'vault.azure.net.', targets: ['10.0.0.70:53'], enabled: true }],
      },
      {
        id: 'rs2',
        linkedVnets: [net('loop')],
        rules: [{ name: 'all', domainName: 'azure.net.', targets: ['10.0.0.71'], enabled: true }],
      },
    ],
    inboundEndpoints: [
      { id: 'in-hub', ips: ['10.0.0.70'], virtualNetworkId: HUB },
      { id: 'in-loop', ips: ['10.0.0.71'], virtualNetworkId: net('loop') },
    ],
    firewalls: [
      { id: FW, virtualNetworkId: HUB.toLowerCase(), privateIps: ['10.0.1.4'], policyId: POLICY },
      { id: `${FW}off`, virtualNetworkId: HUB, privateIps: ['10.0.1.5'], policyId: `${POLICY}off` },
    ],
    firewallPolicies: [
      { id: POLICY, dnsProxy: true, dnsServers: [] },
      { id: `${POLICY}off`, dnsProxy: false, dnsServers: [] },
    ],
  });
  const index = indexFacts(base);
  const chain = (v: string): string[] => resolveZone(net(v), ZONE_NAME, NAMES, index).chain.map(name);
  const kind = (v: string): string => resolveZone(net(v), ZONE_NAME, NAMES, index).resolver.kind;

  it.each([
    ['hub', 'zone', ['hub', 'l-hub', ZONE_NAME]],
    ['rs', 'zone', ['rs', 'kv', 'in-hub', 'hub', 'l-hub', ZONE_NAME]],
    ['in', 'zone', ['in', 'in-hub', 'hub', 'l-hub', ZONE_NAME]],
    ['fw', 'zone', ['fw', 'fw', 'p', 'hub', 'l-hub', ZONE_NAME]],
    ['fwoff', 'unknown', ['fwoff', 'fwoff', 'poff']],
    ['vm', 'server', ['vm']],
    ['loop', 'unknown', ['loop', 'all', 'in-loop', 'loop']],
  ])('%s resolves through a %s: %j', (v, k, c) => {
    expect(kind(v)).toBe(k);
    expect(chain(v)).toEqual(c);
  });

  it('per name as a query meets it: a rule for the vault name first; for the privatelink name, the linked zone first', () => {
    const ruleFor = (domainName: string) =>
      indexFacts(
        facts({
          vnets: [vnet('hub'), vnet('both')],
          zones: [zone(['hub', 'both'], { kv1: ['10.0.2.4'] })],
          rulesets: [
            {
              id: 'rs',
              linkedVnets: [net('both')],
              rules: [{ name: 'r', domainName, targets: ['10.0.0.70'], enabled: true }],
            },
          ],
          inboundEndpoints: [{ id: 'in-hub', ips: ['10.0.0.70'], virtualNetworkId: HUB }],
        }),
      );
    const via = (domain: string): string[] =>
      resolveZone(net('both'), ZONE_NAME, NAMES, ruleFor(domain)).chain.map(name);
    expect(via('vault.azure.net.')).toEqual(['both', 'r', 'in-hub', 'hub', 'l-hub', ZONE_NAME]);
    expect(via('privatelink.vaultcore.azure.net.')).toEqual(['both', 'l-both', ZONE_NAME]);
  });

  it('a VNet with no zone linked and no rule resolves publicly, at itself', () => {
    expect(resolveZone(net('x'), ZONE_NAME, NAMES, indexFacts(facts({ vnets: [vnet('x')] }))).resolver).toEqual({
      kind: 'public',
      vnetId: net('x'),
    });
  });

  it("answers with the zone's record; without it NXDOMAIN, or public with NxDomainRedirect", () => {
    const hub = resolveZone(HUB, ZONE_NAME, NAMES, index);
    expect(answerFor(hub, 'kv1')).toMatchObject({ kind: 'records', ips: ['10.0.2.4'] });
    expect(answerFor(hub, 'kv2')).toEqual({ kind: 'nxdomain' });
    const redirect = indexFacts(facts({ vnets: [vnet('hub')], zones: [zone(['hub'], {}, 'NxDomainRedirect')] }));
    expect(answerFor(resolveZone(HUB, ZONE_NAME, NAMES, redirect), 'kv2')).toEqual({ kind: 'public' });
  });
});

describe('judgePair and predict', () => {
  const kv1 = expected([
    {
      ...endpoint('pe1', '10.0.2.4'),
      endpoint: { ...endpoint('pe1', '10.0.2.4').endpoint!, subnetId: `${HUB}/subnets/pe` },
    },
  ]);
  const v: EstateVault = {
    expected: kv1,
    label: 'kv1',
    zoneName: ZONE_NAME,
    vnets: [HUB.toLowerCase()],
    published: true,
  };
  const judge = (f: NetworkFacts, at: string) => {
    const index = indexFacts(f);
    const p = predict(index, new Map([[ZONE_NAME, 'vault.azure.net']]), new Set()).find((x) => x.vnetId === net(at));
    if (!p) throw new Error(at);
    const site = index.siteOf(p.vnetId);
    const resolution = p.zones.get(ZONE_NAME);
    if (!resolution) throw new Error('no resolution');
    const shared = new Map<string, Finding>();
    const j = judgePair(
      v,
      site,
      new Expectations().of(v, 0, site),
      resolution,
      predictedAnswer(p, ZONE_NAME, 'kv1'),
      index,
      shared,
    );
    const diagnoses = new EstateDiagnoser().of(j.findings);
    return {
      ...j,
      p,
      diagnoses,
      coverage: p.coverage,
      codes: diagnoses.map((d) => `${d.code} ${name(d.resourceId ?? '')}`),
    };
  };

  it('a peered spoke on Azure DNS without the link: ZONE_NOT_LINKED naming the zone and the spoke', () => {
    const j = judge(
      facts({ vnets: [vnet('hub'), vnet('spoke')], zones: [zone(['hub'], { kv1: ['10.0.2.4'] })] }),
      'spoke',
    );
    expect(j).toMatchObject({ status: 'unhealthy', coverage: 'predicted', codes: [`ZONE_NOT_LINKED ${ZONE_NAME}`] });
    expect(j.diagnoses[0]?.fix[0]).toContain(`-v '${net('spoke')}' `);
    // The same diagnosis a site gets from `diagnose`: the object to fix in words.
    expect(j.diagnoses[0]?.object).toBe(`zone ${ZONE_NAME} (dns)`);
  });

  it('aggregates by shared cause: one diagnosis per missing link per VNet, covering each vault it breaks', () => {
    const f = facts({
      vnets: [vnet('hub'), vnet('s1'), vnet('s2')],
      zones: [zone(['hub'], { kv1: ['10.0.2.4'] })],
    });
    const s1 = judge(f, 's1');
    const s2 = judge(f, 's2');
    const collector = new EstateCollector(false);
    const vaults = [
      { name: 'kv1', id: 'kv1-id' },
      { name: 'kv1-again', id: 'kv1b-id' },
    ];
    collector.add(s1.p, vaults, [s1, s1]);
    collector.add(s2.p, vaults, [s2, s2]);
    const r = collector.report({ location: 'here', vaultNames: ['kv1', 'kv1-again'], errors: [] });
    expect(r.diagnoses.map((d) => [d.code, d.vnets.map(name), d.vaults, d.pairs])).toEqual([
      ['ZONE_NOT_LINKED', ['s1'], 2, 2],
      ['ZONE_NOT_LINKED', ['s2'], 2, 2],
    ]);
    expect(r.vnets[0]?.results[0]?.diagnoses).toEqual([
      { code: 'ZONE_NOT_LINKED', resourceId: ZONE, object: `zone ${ZONE_NAME} (dns)` },
    ]);
  });

  it('the same spoke linked: healthy; a stale record: ZONE_RECORD_STALE on the record', () => {
    expect(
      judge(
        facts({ vnets: [vnet('hub'), vnet('spoke')], zones: [zone(['hub', 'spoke'], { kv1: ['10.0.2.4'] })] }),
        'spoke',
      ).status,
    ).toBe('healthy');
    expect(
      judge(facts({ vnets: [vnet('hub'), vnet('spoke')], zones: [zone(['spoke'], { kv1: ['10.0.2.9'] })] }), 'spoke')
        .codes,
    ).toEqual(['ZONE_RECORD_STALE kv1']);
  });

  it('a VNet that reaches no endpoint, public access disabled: unreachable by design, nothing to fix', () => {
    const j = judge(
      facts({ vnets: [vnet('hub'), vnet('far', { peerings: [] })], zones: [zone(['hub'], { kv1: ['10.0.2.4'] })] }),
      'far',
    );
    expect(j).toMatchObject({ status: 'unreachable', codes: [] });
  });

  it('a DNS server ARM cannot describe: unknown coverage, unknown pairs', () => {
    const j = judge(facts({ vnets: [vnet('hub'), vnet('vm', { dnsServers: ['10.9.0.4'] })] }), 'vm');
    expect(j).toMatchObject({ status: 'unknown', coverage: 'unknown' });
  });
  it.each([
    ['its own address space', '10.1.0.53', true],
    ["a connected peer's (the hub)", '10.0.0.53', true],
    ['on-premises, behind no peering', '192.168.50.4', false],
    ["a peer of the hub's, not of the site (peering is not transitive)", '10.2.0.53', false],
  ])('queried: a site asks a DNS server in %s: %s', (_case, server, asked) => {
    const index = indexFacts(
      facts({
        vnets: [
          vnet('hub'),
          vnet('site', { addressPrefixes: ['10.1.0.0/16'] }),
          vnet('other', { addressPrefixes: ['10.2.0.0/16'] }),
        ],
      }),
    );
    expect(siteReachesServer(index.siteOf(net('site')), server)).toBe(asked);
  });

  it.each([
    ['the private endpoint', { addresses: ['10.0.2.4'] }, 'healthy', []],
    ['the public address', { addresses: ['198.51.100.10'] }, 'unhealthy', ['CUSTOM_DNS_NOT_FORWARDING vm']],
    [
      'SERVFAIL',
      { addresses: [], error: { kind: 'SERVFAIL' as const, code: 'ESERVFAIL', message: 'x' } },
      'unhealthy',
      ['CUSTOM_DNS_NOT_FORWARDING vm'],
    ],
  ])('queried: a VNet whose DNS server answers %s', (_case, answer, status, codes) => {
    const index = indexFacts(facts({ vnets: [vnet('hub'), vnet('vm', { dnsServers: ['10.0.0.53'] })] }));
    const site = index.siteOf(net('vm'));
    const j = judgeQueried(v, site, new Expectations().of(v, 0, site), { server: '10.0.0.53', ...answer });
    const diagnoses = new EstateDiagnoser().of(j.findings);
    expect([j.status, diagnoses.map((d) => `${d.code} ${name(d.resourceId ?? '')}`)]).toEqual([status, codes]);
  });
});
