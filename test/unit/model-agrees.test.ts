import { checkInput } from '../../src/probe/checks';
import { checkModelAgrees } from '../../src/probe/checks/model-agrees';
import type { ExpectedState, ForwardingRulesetRecord, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

// issue 25: calibration. Where a probe runs, the estate map's prediction for its VNet against what its DNS answered.
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('spoke');
const HUB = net('hub');
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;

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
const toHub: ForwardingRulesetRecord = {
  id: 'rs-spokes',
  linkedVnets: [SPOKE],
  rules: [{ name: 'kv', domainName: 'vault.azure.net.', targets: ['10.1.0.70'], enabled: true }],
};
const site = (dnsServers: string[] = [], rulesets: ForwardingRulesetRecord[] = []): Site => ({
  vnetId: SPOKE,
  vnet: { id: SPOKE, addressPrefixes: ['10.2.0.0/16'], dnsServers, peerings: [] },
  rulesets,
  inboundEndpoints: [{ id: 'in-hub', ips: ['10.1.0.70'], virtualNetworkId: HUB }],
});
const kv1 = (z: PrivateDnsZoneRecord): ExpectedState => ({ ...expected([endpoint('pe1', '10.2.1.4')]), zones: [z] });
const run = (exp: ExpectedState, s: Site, obs = observed({ os: ['10.2.1.4'] })) =>
  checkModelAgrees(checkInput({ cloud: CLOUD, expected: exp, observed: obs, site: s }));

describe('checkModelAgrees (MODEL_DISAGREES)', () => {
  it.each([
    ['the linked zone answers its record', kv1(zone({ kv1: ['10.2.1.4'] }, [SPOKE])), site(), ['10.2.1.4']],
    [
      'a rule sends the name to the hub resolver, whose zone answers',
      kv1(zone({ kv1: ['10.2.1.4'] }, [HUB])),
      site([], [toHub]),
      ['10.2.1.4'],
    ],
    ['no zone linked: the public name', kv1(zone({ kv1: ['10.2.1.4'] }, [HUB])), site(), ['198.51.100.10']],
    ['a DNS server ARM cannot describe: not compared', kv1(zone({}, [])), site(['10.2.0.4']), ['10.9.9.9']],
  ] as const)('agrees: %s', (_what, exp, s, answer) => {
    expect(run(exp, s, observed({ os: [...answer] }))).toEqual([]);
  });

  it('the VNet DNS answers an address no record holds: one warning saying predicted, observed and relied on', () => {
    const f = run(kv1(zone({ kv1: ['10.2.1.4'] }, [SPOKE])), site(), observed({ os: ['10.2.1.99'] }));
    expect(f.map((x) => [x.code, x.severity, x.resourceId])).toEqual([['MODEL_DISAGREES', 'warning', ZONE]]);
    expect(f[0]?.details).toEqual({
      predicted: `10.2.1.4 (record ${ZONE}/A/kv1)`,
      observed: '10.2.1.99',
      reliedOn: [SPOKE, `${ZONE}/virtualNetworkLinks/l0`, ZONE],
      address: ['10.2.1.99'],
      servers: ['127.0.0.1:53'],
    });
  });

  it('predicted NXDOMAIN (linked zone without the record) but an address came back: a disagreement', () => {
    const f = run(kv1(zone({}, [SPOKE])), site(), observed({ os: ['10.2.1.4'] }));
    expect(f.map((x) => x.code)).toEqual(['MODEL_DISAGREES']);
  });

  it('no Approved connection: Key Vault publishes no privatelink CNAME, the public name is predicted', () => {
    const pending = { ...expected([endpoint('pe1', '10.2.1.4', { status: 'Pending' })]) };
    const exp = { ...pending, zones: [zone({ kv1: ['10.2.1.4'] }, [SPOKE])] };
    expect(run(exp, site(), observed({ os: ['198.51.100.10'] }))).toEqual([]);
    expect(run(exp, site(), observed({ os: ['10.2.1.4'] })).map((x) => x.code)).toEqual(['MODEL_DISAGREES']);
  });

  it('a DNS failure is no answer to compare', () => {
    const obs = observed({ dnsError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 'timeout' } });
    expect(run(kv1(zone({ kv1: ['10.2.1.4'] }, [SPOKE])), site(), obs)).toEqual([]);
  });
});

/** From the survivors of `npm run mutate`: what counts as an answer, and each kind of prediction compared. */
describe('MODEL_DISAGREES: answers compared', () => {
  const linked = kv1(zone({ kv1: ['10.2.1.4'] }, [SPOKE]));
  const nx = { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: 'x' } as const;

  it('predicted NXDOMAIN and NXDOMAIN observed: they agree', () => {
    expect(run(kv1(zone({}, [SPOKE])), site(), observed({ osError: nx, dnsError: nx }))).toEqual([]);
  });

  it('a record predicted, NXDOMAIN observed from no named server: said in words, no address', () => {
    const obs = observed({ osError: nx, dnsError: nx });
    const noServers = { ...obs, dns: { ...obs.dns, dns: { ...obs.dns.dns, servers: [] } } };
    const [f, ...rest] = run(linked, site(), noServers);
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      `The estate map predicts that ${SPOKE} resolves kv1.vault.azure.net to 10.2.1.4 (record ${ZONE}/A/kv1), relying on ${SPOKE} > ${ZONE}/virtualNetworkLinks/l0 > ${ZONE}; the probe here observed NXDOMAIN from the system resolver. Something ARM does not describe answers for this VNet (a DNS server, a forwarder or a cache), or the map's model is wrong.`,
    );
    expect(f?.details).toStrictEqual({
      predicted: `10.2.1.4 (record ${ZONE}/A/kv1)`,
      observed: 'NXDOMAIN',
      reliedOn: [SPOKE, `${ZONE}/virtualNetworkLinks/l0`, ZONE],
      address: [],
      servers: [],
    });
    expect(f?.confirm).toEqual(["nslookup 'kv1.vault.azure.net'"]);
  });

  it('a failed query is not compared, even with addresses beside the error', () => {
    const obs = observed({ os: ['10.2.1.99'], dns: ['10.2.1.99'] });
    const failed = {
      ...obs,
      dns: {
        ...obs.dns,
        dns: { ...obs.dns.dns, error: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: 'x' } as const },
      },
    };
    expect(run(linked, site(), failed)).toEqual([]);
  });

  it('no address and no error: nothing to compare', () => {
    expect(run(linked, site(), observed({ os: [], dns: [] }))).toEqual([]);
  });

  it('IPv6 addresses beside the predicted IPv4 record: only IPv4 is compared', () => {
    expect(run(linked, site(), observed({ os: ['10.2.1.4'], dns: ['fd00::4', '10.2.1.4'] }))).toEqual([]);
  });

  it('the public name predicted, a private address among public ones observed: a disagreement', () => {
    const f = run(
      kv1(zone({ kv1: ['10.2.1.4'] }, [HUB])),
      site(),
      observed({ os: ['198.51.100.10'], dns: ['198.51.100.10', '10.2.1.4'] }),
    );
    expect(f.map((x) => [x.code, x.details])).toEqual([
      [
        'MODEL_DISAGREES',
        expect.objectContaining({
          predicted: 'the public name (no private zone answers)',
          observed: '10.2.1.4, 198.51.100.10',
        }),
      ],
    ]);
  });
});
