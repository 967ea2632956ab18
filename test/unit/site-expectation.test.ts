import type { ForwardingRule, InboundEndpoint, VirtualNetworkLink } from '@azure/arm-dnsresolver';
import { mapForwardingRuleset, mapInboundEndpoint } from '../../src/adapters/dns-resolver-mappers';
import { checkCustomDns } from '../../src/probe/checks/custom-dns';
import { checkDataplane } from '../../src/probe/checks/dataplane';
import { checkDnsAddress } from '../../src/probe/checks/dns-address';
import { checkForeignEndpoint } from '../../src/probe/checks/foreign-endpoint';
import { checkResolversAgree } from '../../src/probe/checks/resolvers-agree';
import { checkSiteReach } from '../../src/probe/checks/site-reach';
import { checkZoneRecords } from '../../src/probe/checks/zone-records';
import { describeExpectation, expectsPrivateFrom, siteExpectation } from '../../src/probe/expectation';
import { AzureDnsGate } from '../../src/probe/azure-dns-gate';
import { BudgetedReader, isComplete, isDenied, readAddressOwners, resolutionDrifted } from '../../src/probe/pipeline';
import { checkInput } from '../../src/probe/checks';
import type { ExpectedEndpoint, ExpectedState, ObservedState, Site, VirtualNetworkRecord } from '../../src/probe/types';
import { CLOUD, endpoint, expected, healthyPlane, observed, SUB } from './builders';
import { emptyInventory } from '../support/empty-inventory';

const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('spoke');
const HUB = net('hub');
const FAR = net('far-region');

/** An endpoint placed in a VNet's subnet. */
function placed(name: string, ip: string, vnet: string, o: Parameters<typeof endpoint>[2] = {}): ExpectedEndpoint {
  const e = endpoint(name, ip, o);
  return { ...e, endpoint: e.endpoint ? { ...e.endpoint, subnetId: `${vnet}/subnets/endpoints` } : undefined };
}

const spoke = (o: Partial<VirtualNetworkRecord> = {}): VirtualNetworkRecord => ({
  id: SPOKE,
  addressPrefixes: ['10.1.0.0/16'],
  dnsServers: [],
  peerings: [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.0.0.0/16'], state: 'Connected' }],
  ...o,
});

/** The probe in SPOKE, its VNet read as `vnet`. */
const site = (vnet: VirtualNetworkRecord = spoke()): Site => ({ vnetId: SPOKE, vnet });
/** `null`: the probe is not told its VNet. */
const input = (exp: ExpectedState, obs: ObservedState, where: Site | null = site()) =>
  checkInput({ cloud: CLOUD, expected: exp, observed: obs, ...(where ? { site: where } : {}) });
const codes = (fs: readonly { code: string; severity: string }[]): string[] => fs.map((f) => `${f.code}:${f.severity}`);

describe('the site expectation', () => {
  it('expects the endpoint in this VNet or a peered hub, never the union of every endpoint', () => {
    const two = expected([placed('pe-here', '10.1.2.4', SPOKE), placed('pe-far', '10.9.2.4', FAR)]);
    const e = siteExpectation(two, site());
    expect(e).toMatchObject({ kind: 'private', assumed: false, ips: ['10.1.2.4'], unreachedIps: ['10.9.2.4'] });
    expect(describeExpectation(e)).toBe('private pe-here@10.1.2.4');
    expect(siteExpectation(expected([placed('pe-hub', '10.0.2.4', HUB)]), site())).toMatchObject({
      kind: 'private',
      ips: ['10.0.2.4'],
    });
  });

  it('is public when no endpoint is reachable and public access lets the site in, unreachable when it does not', () => {
    const far = [placed('pe-far', '10.9.2.4', FAR)];
    expect(siteExpectation(expected(far, 'Enabled'), site()).kind).toBe('public');
    expect(siteExpectation(expected(far, 'Disabled'), site()).kind).toBe('unreachable');
    const withAcls = (acls: NonNullable<ExpectedState['vault']['networkAcls']>): ExpectedState => {
      const base = expected(far, 'Enabled');
      return { ...base, vault: { ...base.vault, networkAcls: acls } };
    };
    expect(
      siteExpectation(withAcls({ defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] }), site()),
    ).toMatchObject({ kind: 'unreachable', publicAccess: 'firewall-denies' });
    expect(
      siteExpectation(
        withAcls({ defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [`${SPOKE}/subnets/apps`] }),
        site(),
      ),
    ).toMatchObject({ kind: 'public', publicAccess: 'firewall-allows' });
    expect(
      siteExpectation(withAcls({ defaultAction: 'Deny', ipRules: ['203.0.113.0/24'], virtualNetworkRules: [] }), site())
        .kind,
    ).toBe('public');
  });

  it('is assumed (any endpoint) without PROBE_VNET_ID or with the VNet unreadable', () => {
    const two = expected([placed('pe-here', '10.1.2.4', SPOKE), placed('pe-far', '10.9.2.4', FAR)]);
    expect(siteExpectation(two, undefined)).toMatchObject({
      kind: 'private',
      assumed: true,
      ips: ['10.1.2.4', '10.9.2.4'],
    });
    expect(siteExpectation(two, { vnetId: SPOKE })).toMatchObject({ assumed: true });
    expect(describeExpectation(siteExpectation(two, undefined))).toBe('~private pe-here@10.1.2.4 pe-far@10.9.2.4');
  });

  it('stays lenient behind Virtual WAN: a hub connection makes the other endpoints reachable, unknown how', () => {
    const vwan = spoke({
      peerings: [
        {
          remoteVirtualNetworkId: net('HV_hub-weu_1a2b'),
          remoteAddressPrefixes: ['10.100.0.0/23'],
          state: 'Connected',
        },
      ],
    });
    expect(siteExpectation(expected([placed('pe-far', '10.9.2.4', FAR)], 'Disabled'), site(vwan))).toMatchObject({
      kind: 'private',
      ips: ['10.9.2.4'],
    });
  });

  it('leaves a foreign endpoint out, and lets the readable endpoints decide', () => {
    const foreign: ExpectedEndpoint = {
      ...endpoint('pe-partner', '172.20.0.4'),
      endpoint: undefined,
      networkInterfaces: [],
      foreign: 'denied',
      errors: [
        {
          operation: 'get private endpoint',
          resourceId: 'x',
          statusCode: 401,
          code: 'InvalidAuthenticationTokenTenant',
          message: 'wrong tenant',
        },
      ],
    };
    const exp = expected([placed('pe-here', '10.1.2.4', SPOKE), foreign]);
    expect(siteExpectation(exp, site()).ips).toEqual(['10.1.2.4']);
    expect(isComplete(exp)).toBe(true);
    expect(codes(checkForeignEndpoint(input(exp, observed({ os: ['10.1.2.4'] }))))).toEqual(['FOREIGN_ENDPOINT:info']);
    // Its own endpoint's checks are not silenced: a stale answer is still a mismatch.
    expect(codes(checkDnsAddress(input(exp, observed({ os: ['10.1.2.9'] }))))).toEqual([
      'DNS_PRIVATE_IP_MISMATCH:error',
    ]);
  });

  it('recognises denied reads by status and by ARM code', () => {
    const e = (statusCode: number | undefined, code: string | undefined) => ({
      operation: 'x',
      resourceId: undefined,
      statusCode,
      code,
      message: '',
    });
    expect(isDenied(e(401, 'InvalidAuthenticationTokenTenant'))).toBe(true);
    expect(isDenied(e(403, 'AuthorizationFailed'))).toBe(true);
    expect(isDenied(e(undefined, 'LinkedAuthorizationFailed'))).toBe(true);
    expect(isDenied(e(500, 'InternalServerError'))).toBe(false);
    expect(isDenied(e(404, 'ResourceNotFound'))).toBe(false);
  });
});

describe('checks judge against the site expectation', () => {
  const two = expected([placed('pe-here', '10.1.2.4', SPOKE), placed('pe-far', '10.9.2.4', FAR)]);

  it('a vault with endpoints in two regions is healthy from each site', () => {
    const obs = {
      ...observed({ os: ['10.1.2.4'], dataplane: [healthyPlane('10.1.2.4', 'pe-here')] }),
      customDns: [
        { server: '10.0.0.53', kind: 'custom' as const, addresses: ['10.1.2.4'] },
        { server: '168.63.129.16', kind: 'azure' as const, addresses: ['10.1.2.4'] },
      ],
    };
    for (const check of [
      checkDnsAddress,
      checkCustomDns,
      checkResolversAgree,
      checkZoneRecords,
      checkSiteReach,
      checkDataplane,
    ])
      expect(codes(check(input(two, obs)))).toEqual([]);
  });

  it("a two-region vault resolving to this site's endpoint has not drifted (no zone-group reads at scale)", () => {
    expect(resolutionDrifted(siteExpectation(two, site()), observed({ os: ['10.1.2.4'] }), site())).toBe(false);
    expect(resolutionDrifted(siteExpectation(two, site()), observed({ os: ['10.9.2.4'] }), site())).toBe(true);
    // Without the site, the old union: one region's answer is a drift.
    expect(resolutionDrifted(siteExpectation(two, undefined), observed({ os: ['10.1.2.4'] }), undefined)).toBe(true);
  });

  it("another region's endpoint here is a warning; a custom DNS answering it is not forwarding", () => {
    expect(codes(checkDnsAddress(input(two, observed({ os: ['10.9.2.4'] }))))).toEqual([
      'DNS_UNREACHED_ENDPOINT:warning',
    ]);
    const obs = {
      ...observed({ os: ['10.1.2.4'] }),
      customDns: [{ server: '10.0.0.53', kind: 'custom' as const, addresses: ['10.1.2.4', '10.9.2.4'] }],
    };
    expect(codes(checkCustomDns(input(two, obs)))).toEqual(['CUSTOM_DNS_NOT_FORWARDING:error']);
  });

  it("a site that reaches two endpoints (its own and a peer's) is served by a resolver naming either", () => {
    const both = expected([placed('pe-here', '10.1.2.4', SPOKE), placed('pe-hub', '10.0.2.4', HUB)]);
    expect([...siteExpectation(both, site()).ips].sort()).toEqual(['10.0.2.4', '10.1.2.4']);
    for (const answer of ['10.1.2.4', '10.0.2.4']) {
      const obs = {
        ...observed({ os: [answer], dataplane: [healthyPlane(answer, answer === '10.1.2.4' ? 'pe-here' : 'pe-hub')] }),
        customDns: [
          { server: '10.0.0.53', kind: 'custom' as const, addresses: [answer] },
          { server: '168.63.129.16', kind: 'azure' as const, addresses: ['10.1.2.4'] },
        ],
      };
      expect(codes(checkCustomDns(input(both, obs)))).toEqual([]);
      expect(codes(checkResolversAgree(input(both, obs)))).toEqual([]);
      expect(codes(checkDnsAddress(input(both, obs)))).toEqual([]);
    }
    // An answer outside what the site reaches, or no answer, is still caught.
    for (const addresses of [['10.1.2.9'], ['10.1.2.4', '10.1.2.9'], []]) {
      const obs = {
        ...observed({ os: ['10.1.2.4'] }),
        customDns: [{ server: '10.0.0.53', kind: 'custom' as const, addresses }],
      };
      expect(codes(checkCustomDns(input(both, obs)))).toEqual(['CUSTOM_DNS_NOT_FORWARDING:error']);
    }
  });

  it('a vault public by design answers publicly without DNS_PUBLIC_IP or DATAPLANE_NOT_PRIVATE', () => {
    const pub = expected([placed('pe-far', '10.9.2.4', FAR)], 'Enabled');
    const plane = {
      address: '198.51.100.10',
      status: 200,
      networkInfo: 'conn_type=Ipv4;addr=203.0.113.10;',
      tcpConnectionForbidden: false,
      timings: { totalMs: 1 },
    };
    const obs = observed({ os: ['198.51.100.10'], dataplane: [plane] });
    expect(codes(checkDnsAddress(input(pub, obs)))).toEqual([]);
    expect(codes(checkDataplane(input(pub, obs)))).toEqual([]);
    expect(expectsPrivateFrom(pub, siteExpectation(pub, site()))).toBe(false);
    // The same vault judged without knowing the site: the old any-endpoint expectation, and its alarms.
    expect(codes(checkDnsAddress(input(pub, obs, null)))).toEqual(['DNS_PUBLIC_IP:error']);
    expect(codes(checkDataplane(input(pub, obs, null)))).toEqual(['DATAPLANE_NOT_PRIVATE:error']);
  });

  it('unreachable by design: one warning', () => {
    const locked = expected([placed('pe-far', '10.9.2.4', FAR)], 'Disabled');
    expect(codes(checkSiteReach(input(locked, observed({ os: ['198.51.100.10'] }))))).toEqual([
      'VAULT_UNREACHABLE_BY_DESIGN:warning',
    ]);
    expect(codes(checkDnsAddress(input(locked, observed({ os: ['198.51.100.10'] }))))).toEqual([]);
    expect(codes(checkSiteReach(input(locked, observed(), null)))).toEqual([]);
  });

  it('Azure DNS answering otherwise is no fault where this VNet resolves as expected', () => {
    const one = expected([placed('pe-here', '10.1.2.4', SPOKE)]);
    const unlinkedSpoke = {
      ...observed({ os: ['10.1.2.4'] }),
      customDns: [{ server: '168.63.129.16', kind: 'azure' as const, addresses: ['198.51.100.10'] }],
    };
    expect(codes(checkResolversAgree(input(one, unlinkedSpoke)))).toEqual([]);
    const wrongHere = {
      ...observed({ os: ['10.1.2.9'] }),
      customDns: [{ server: '168.63.129.16', kind: 'azure' as const, addresses: ['10.1.2.4'] }],
    };
    expect(codes(checkResolversAgree(input(one, wrongHere)))).toEqual(['DNS_RESOLVERS_DISAGREE:warning']);
  });

  it('dual stack: getaddrinfo returning AAAA beside A is no disagreement with DNS asking A', () => {
    const v6: ExpectedEndpoint = {
      ...placed('pe-ds', '10.1.2.4', SPOKE),
      networkInterfaces: [
        {
          id: 'nic',
          ipConfigurations: [
            { privateIpAddress: '10.1.2.4', fqdns: ['kv1.vault.azure.net'] },
            { privateIpAddress: 'fd00:1::4', fqdns: ['kv1.vault.azure.net'] },
          ],
        },
      ],
    };
    const exp = expected([v6]);
    const obs = observed({ os: ['10.1.2.4', 'fd00:1::4'], dns: ['10.1.2.4'] });
    expect(codes(checkResolversAgree(input(exp, obs)))).toEqual([]);
    expect(codes(checkDnsAddress(input(exp, obs)))).toEqual([]);
    expect(codes(checkDnsAddress(input(exp, observed({ os: ['10.1.2.4', 'fd00:1::9'], dns: ['10.1.2.4'] }))))).toEqual([
      'DNS_PRIVATE_IP_MISMATCH:error',
    ]);
  });

  it('records the rule that made an address private: RFC 6598 and the site prefixes', () => {
    const cgnat = expected([placed('pe', '100.64.2.4', SPOKE)]);
    const there = site(spoke({ addressPrefixes: ['100.64.0.0/16', '20.40.0.0/16'] }));
    const [a] = checkDnsAddress(input(cgnat, observed({ os: ['100.64.2.9'] }), there));
    expect(a?.details).toMatchObject({ rule: 'rfc6598' });
    const [b] = checkDnsAddress(input(cgnat, observed({ os: ['20.40.1.1'] }), there));
    expect(b).toMatchObject({
      code: 'DNS_PRIVATE_IP_MISMATCH',
      details: { rule: 'site-prefix', prefix: '20.40.0.0/16' },
    });
  });
});

describe('Azure DNS gate', () => {
  const exp = expected([placed('pe-here', '10.1.2.4', SPOKE)]);
  const timeout = {
    ...observed(),
    customDns: [
      {
        server: '168.63.129.16',
        kind: 'azure' as const,
        addresses: [],
        error: { kind: 'TIMEOUT' as const, code: 'ETIMEOUT', message: '' },
      },
    ],
  };

  it('asks where the VNet uses Azure-provided DNS, skips a custom-DNS VNet not linked to the zone', () => {
    const gate = new AzureDnsGate('168.63.129.16');
    expect(gate.ask(exp, site(), 'privatelink.vaultcore.azure.net')).toBe('168.63.129.16');
    expect(
      gate.ask(exp, site(spoke({ dnsServers: ['10.0.0.53'] })), 'privatelink.vaultcore.azure.net'),
    ).toBeUndefined();
    expect(gate.summary()).toEqual({ asked: 1, skipped: 1, stopped: false });
  });

  it('stops for the rest of the run after the first timeout, and says why', () => {
    const gate = new AzureDnsGate('168.63.129.16');
    expect(gate.ask(exp, site(), 'privatelink.vaultcore.azure.net')).toBe('168.63.129.16');
    gate.record(timeout);
    for (let i = 0; i < 379; i++) expect(gate.ask(exp, site(), 'privatelink.vaultcore.azure.net')).toBeUndefined();
    expect(gate.summary()).toMatchObject({
      asked: 1,
      skipped: 379,
      stopped: true,
      reason: expect.stringContaining('168.63.129.16'),
    });
  });
});

describe('DNS Private Resolver mappers', () => {
  it('maps a ruleset from its rules and links, and an inbound endpoint with its resolver VNet', () => {
    const rules = [
      {
        name: 'kv',
        domainName: 'Vault.Azure.Net.',
        targetDnsServers: [{ ipAddress: '10.0.0.70', port: 53 }],
        forwardingRuleState: 'Enabled',
      },
      {
        name: 'off',
        domainName: 'corp.contoso.com.',
        targetDnsServers: [{ ipAddress: '192.168.1.4' }],
        forwardingRuleState: 'Disabled',
      },
    ] as ForwardingRule[];
    const links = [
      { virtualNetwork: { id: SPOKE } },
      { id: 'rs/virtualNetworkLinks/hub', virtualNetwork: { id: HUB } },
    ] as VirtualNetworkLink[];
    expect(mapForwardingRuleset('rs', rules, links)).toEqual({
      id: 'rs',
      rules: [
        { name: 'kv', domainName: 'vault.azure.net.', targets: ['10.0.0.70'], enabled: true },
        { name: 'off', domainName: 'corp.contoso.com.', targets: ['192.168.1.4'], enabled: false },
      ],
      linkedVnets: [SPOKE, HUB],
      // issue 20: a link is kept with its ID, which names the link a loop's fix removes.
      links: [{ id: 'rs/virtualNetworkLinks/hub', virtualNetworkId: HUB }],
    });
    const inbound = {
      id: 'in',
      location: 'westeurope',
      ipConfigurations: [{ subnet: { id: `${HUB}/subnets/in` }, privateIpAddress: '10.0.0.70' }],
    } as InboundEndpoint;
    expect(mapInboundEndpoint(inbound, HUB)).toEqual({ id: 'in', ips: ['10.0.0.70'], virtualNetworkId: HUB });
  });
});

describe('address owners', () => {
  it('are looked up for addresses private to this site (its VNet uses a public range), not only RFC 1918', async () => {
    const asked: string[] = [];
    const inv = {
      ...emptyInventory(),
      listVaults: async () => [],
      getVault: async () => {
        throw new Error('unused');
      },
      getPrivateEndpoint: async () => {
        throw new Error('unused');
      },
      getNetworkInterface: async () => {
        throw new Error('unused');
      },
      listVirtualHubs: async () => [],
      listEffectiveConnectivityConfigurations: async () => [],
      findAddressOwner: async (address: string) => {
        asked.push(address);
        return undefined;
      },
    };
    const exp = expected([placed('pe', '20.40.2.4', SPOKE)]);
    const req = {
      cloud: CLOUD,
      location: 't',
      subscriptions: [SUB],
      targets: [],
      dataplane: false,
      timeoutMs: 1000,
      concurrency: 1,
    };
    await readAddressOwners(
      exp,
      site(spoke({ addressPrefixes: ['20.40.0.0/16'] })),
      observed({ os: ['20.40.2.9', '198.51.100.10'] }),
      req,
      new BudgetedReader(inv, new AbortController().signal, 1000),
    );
    expect(asked).toEqual(['20.40.2.9']);
  });
});
