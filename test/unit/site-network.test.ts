import { checkInput } from '../../src/probe/checks/check';
import { checkDataplane } from '../../src/probe/checks/dataplane';
import { checkPrivatelinkCname } from '../../src/probe/checks/privatelink-cname';
import { checkSiteReach } from '../../src/probe/checks/site-reach';
import { siteExpectation } from '../../src/probe/expectation';
import type { RouteRecord } from '../../src/probe/network-records';
import { isDenied } from '../../src/probe/pipeline';
import { admittingSubnet, perimeterVerdict, routeVerdict } from '../../src/probe/site-network';
import type { ExpectedEndpoint, ExpectedState, Site, SubnetRecord, VirtualNetworkRecord } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

// Issue 20: the probe's subnet (routes, service endpoints), the vault's perimeter, and the smaller truths.

const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('spoke');
const HUB = net('hub');
const APPS = `${SPOKE}/subnets/apps`;
const JOBS = `${SPOKE}/subnets/jobs`;
const RT = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/routeTables/rt-apps`;
const RT2 = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/routeTables/rt-jobs`;

const route = (name: string, addressPrefix: string, nextHopType: string): RouteRecord => ({
  name,
  addressPrefix,
  nextHopType,
  ...(nextHopType === 'VirtualAppliance' ? { nextHopIpAddress: '10.0.0.4' } : {}),
});
const subnet = (id: string, o: Partial<SubnetRecord> = {}): SubnetRecord => ({
  id,
  addressPrefixes: [],
  serviceEndpoints: [],
  ...o,
});
const vnet = (subnets: SubnetRecord[]): VirtualNetworkRecord => ({
  id: SPOKE,
  addressPrefixes: ['10.1.0.0/16'],
  dnsServers: [],
  peerings: [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.0.0.0/16'], state: 'Connected' }],
  subnets,
});
function placed(name: string, ip: string, where: string): ExpectedEndpoint {
  const e = endpoint(name, ip);
  return { ...e, endpoint: e.endpoint ? { ...e.endpoint, subnetId: `${where}/subnets/endpoints` } : undefined };
}
/** The spoke as a site: its subnets, route tables (by ID), the subnet PROBE_VNET_ID named. */
function site(subnets: SubnetRecord[], tables: Record<string, RouteRecord[]> = {}, subnetId?: string): Site {
  return {
    vnetId: SPOKE,
    vnet: vnet(subnets),
    routeTables: Object.entries(tables).map(([id, routes]) => ({ id, table: { ok: true, value: { id, routes } } })),
    ...(subnetId ? { subnetId } : {}),
  };
}

describe('routes of the probe subnet (longest prefix, as Azure selects)', () => {
  const SYSTEM = ['10.1.0.0/16', '10.0.0.0/16'];
  const one = (routes: RouteRecord[], ips = ['10.2.0.4']): string | undefined => {
    const e = site([subnet(APPS, { routeTableId: RT })], { [RT]: routes }, APPS);
    const hit = routeVerdict(ips, e, SYSTEM);
    return hit ? `${hit.verdict} ${hit.route.name}` : undefined;
  };
  it.each([
    ['a route to the firewall covers the spoke', [route('fw', '10.2.0.0/16', 'VirtualAppliance')], 'reach fw'],
    ['a gateway next hop reaches too', [route('gw', '10.2.0.0/16', 'VirtualNetworkGateway')], 'reach gw'],
    [
      'the longer None beats the shorter appliance route',
      [route('fw', '10.0.0.0/8', 'VirtualAppliance'), route('drop', '10.2.0.0/24', 'None')],
      'drop drop',
    ],
    [
      'the longer appliance route beats a shorter None',
      [route('drop', '10.0.0.0/8', 'None'), route('fw', '10.2.0.0/24', 'VirtualAppliance')],
      'reach fw',
    ],
    ['Internet is neither: the other routes decide', [route('out', '10.2.0.0/16', 'Internet')], undefined],
    ['no route covers it', [route('fw', '10.3.0.0/16', 'VirtualAppliance')], undefined],
  ] as const)('%s', (_what, routes, want) => {
    expect(one([...routes])).toBe(want);
  });

  it('a system route (peering) longer than the user-defined route wins; an equal one loses to it', () => {
    expect(one([route('fw', '10.0.0.0/8', 'VirtualAppliance')], ['10.0.5.4'])).toBeUndefined();
    expect(one([route('drop', '10.0.0.0/16', 'None')], ['10.0.5.4'])).toBe('drop drop');
  });

  it('VNet only: every subnet counts, leniently (reach if any reaches, drop only if all drop)', () => {
    const subnets = [subnet(APPS, { routeTableId: RT }), subnet(JOBS, { routeTableId: RT2 })];
    const drop = [route('drop', '10.2.0.0/16', 'None')];
    const fw = [route('fw', '10.2.0.0/16', 'VirtualAppliance')];
    expect(routeVerdict(['10.2.0.4'], site(subnets, { [RT]: drop, [RT2]: fw }), SYSTEM)?.verdict).toBe('reach');
    expect(routeVerdict(['10.2.0.4'], site(subnets, { [RT]: drop, [RT2]: [] }), SYSTEM)).toBeUndefined();
    expect(routeVerdict(['10.2.0.4'], site(subnets, { [RT]: drop, [RT2]: drop }), SYSTEM)?.verdict).toBe('drop');
    // The named subnet alone decides.
    expect(routeVerdict(['10.2.0.4'], site(subnets, { [RT]: drop, [RT2]: fw }, APPS), SYSTEM)?.verdict).toBe('drop');
  });

  it('the expectation: udr reach for an unpeered spoke, and None blocks even a peered endpoint', () => {
    const far = placed('pe-far', '10.2.0.4', net('spoke-b'));
    const hub = placed('pe-hub', '10.0.2.4', HUB);
    const fwSite = site(
      [subnet(APPS, { routeTableId: RT })],
      {
        [RT]: [route('fw', '10.2.0.0/16', 'VirtualAppliance')],
      },
      APPS,
    );
    const s = siteExpectation(expected([far]), fwSite);
    expect(s.kind).toBe('private');
    expect(s.endpoints).toEqual([
      {
        privateEndpointId: far.connection.privateEndpointId,
        ips: ['10.2.0.4'],
        reach: 'udr',
        usable: true,
        basis: 'route rt-apps/fw 10.2.0.0/16 -> VirtualAppliance 10.0.0.4',
      },
    ]);
    expect(s.basis).toContain('routes and service endpoints judged from subnet apps');
    const dropSite = site(
      [subnet(APPS, { routeTableId: RT })],
      {
        [RT]: [route('drop-hub', '10.0.2.0/24', 'None')],
      },
      APPS,
    );
    const dropped = expected([hub]);
    const d = siteExpectation(dropped, dropSite);
    expect(d.kind).toBe('unreachable');
    expect(d.blocked).toEqual([
      { privateEndpointId: hub.connection.privateEndpointId, route: 'route rt-apps/drop-hub 10.0.2.0/24 -> None' },
    ]);
    const [f] = checkSiteReach(checkInput({ cloud: CLOUD, expected: dropped, observed: observed(), site: dropSite }));
    expect(f?.message).toContain('route rt-apps/drop-hub 10.0.2.0/24 -> None');
    expect(f?.details).toMatchObject({ routes: ['route rt-apps/drop-hub 10.0.2.0/24 -> None'] });
  });
});

describe('service endpoints are per subnet', () => {
  const withRule = (rules: string[]): ExpectedState => {
    const e = expected([placed('pe-far', '10.9.0.4', net('other'))], 'Enabled');
    return {
      ...e,
      vault: { ...e.vault, networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: rules } },
    };
  };
  const at = (subnets: SubnetRecord[] | undefined, subnetId?: string): Site =>
    subnets ? site(subnets, {}, subnetId) : { vnetId: SPOKE, vnet: { ...vnet([]), subnets: undefined } };
  const KV = ['Microsoft.KeyVault'];
  it.each([
    ['the own subnet, with the endpoint', [APPS], [subnet(APPS, { serviceEndpoints: KV })], APPS, APPS],
    ['the own subnet, without the endpoint', [APPS], [subnet(APPS)], APPS, undefined],
    ['a peer subnet', [`${HUB}/subnets/apps`], [subnet(APPS, { serviceEndpoints: KV })], APPS, undefined],
    [
      'another subnet of this VNet, when a subnet is named',
      [JOBS],
      [subnet(APPS), subnet(JOBS, { serviceEndpoints: KV })],
      APPS,
      undefined,
    ],
    [
      'another subnet of this VNet, VNet only (lenient)',
      [JOBS],
      [subnet(APPS), subnet(JOBS, { serviceEndpoints: KV })],
      undefined,
      JOBS,
    ],
    ['subnets unknown: a rule for this VNet (lenient)', [APPS], undefined, undefined, APPS],
  ] as const)('%s', (_what, rules, subnets, named, want) => {
    const e = withRule([...rules]);
    const where = at(subnets ? [...subnets] : undefined, named);
    expect(admittingSubnet(e, where)).toBe(want);
    expect(siteExpectation(e, where).kind).toBe(want ? 'public' : 'unreachable');
  });
});

describe('network security perimeter', () => {
  const nsp = (accessMode: string | undefined, rules: { addressPrefixes?: string[]; subscriptions?: string[] }[]) => {
    const e = expected([placed('pe-far', '10.9.0.4', net('other'))], 'SecuredByPerimeter');
    return {
      ...e,
      perimeter: {
        ok: true as const,
        value: {
          association: {
            id: 'a',
            perimeterId: '/x/networkSecurityPerimeters/nsp1',
            profileId: '/x/networkSecurityPerimeters/nsp1/profiles/default',
            accessMode,
            resourceId: e.vault.id,
          },
          rules: rules.map((r, i) => ({
            name: `r${i}`,
            direction: 'Inbound',
            addressPrefixes: r.addressPrefixes ?? [],
            subscriptions: r.subscriptions ?? [],
          })),
        },
      },
    };
  };
  it.each([
    ['Enforced, no inbound rule', nsp('Enforced', []), 'denies', 'unreachable'],
    ['Enforced, an address-prefix rule', nsp('Enforced', [{ addressPrefixes: ['1.2.3.0/24'] }]), 'allows', 'public'],
    [
      'Enforced, this subscription',
      nsp('Enforced', [{ subscriptions: [`/subscriptions/${SUB}`] }]),
      'allows',
      'public',
    ],
    ['Learning: the vault settings apply (none: allow)', nsp('Learning', []), 'transition', 'public'],
  ] as const)('%s', (_what, e, verdict, kind) => {
    expect(perimeterVerdict(e, SPOKE).kind).toBe(verdict);
    expect(siteExpectation(e, site([])).kind).toBe(kind);
  });

  it('unreadable: lenient, and the basis says so', () => {
    const e = {
      ...nsp('Enforced', []),
      perimeter: {
        ok: false as const,
        error: { operation: 'x', resourceId: undefined, statusCode: 403, code: 'AuthorizationFailed', message: '' },
      },
    };
    expect(siteExpectation(e, site([])).kind).toBe('public');
    expect(siteExpectation(e, site([])).basis).toContain(
      'perimeter: could not be read (403 AuthorizationFailed): judged leniently',
    );
  });
});

describe('smaller truths', () => {
  it('no privatelink CNAME is expected while no connection is Approved', () => {
    const pending = expected([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]);
    const obs = observed({ os: ['198.51.100.10'], cnames: [] });
    expect(checkPrivatelinkCname(checkInput({ cloud: CLOUD, expected: pending, observed: obs }))).toEqual([]);
    const approved = expected([endpoint('pe1', '10.0.1.4')]);
    expect(
      checkPrivatelinkCname(checkInput({ cloud: CLOUD, expected: approved, observed: obs })).map((f) => f.code),
    ).toEqual(['DNS_NO_PRIVATELINK_CNAME']);
  });

  it("a Managed HSM's top-level AccessDenied is authorization past an accepted path; a vault's is not", () => {
    const refused = {
      ...observed().dataplane[0]!,
      authenticated: {
        path: '/keys',
        status: 403,
        errorCode: 'AccessDenied',
        errorMessage: 'Not authorized to access Microsoft.KeyVault/managedHsm/keys/read/action on /keys',
        tcpConnectionForbidden: false,
        timings: { totalMs: 1 },
      },
    };
    const hsm = expected([endpoint('pe1', '10.0.1.4')]);
    const asHsm = { ...hsm, vault: { ...hsm.vault, kind: 'managedHsm' as const } };
    const obs = { ...observed(), dataplane: [refused] };
    expect(checkDataplane(checkInput({ cloud: CLOUD, expected: asHsm, observed: obs })).map((f) => f.code)).toEqual([]);
    expect(checkDataplane(checkInput({ cloud: CLOUD, expected: hsm, observed: obs })).map((f) => f.code)).toEqual([
      'DATAPLANE_FORBIDDEN',
    ]);
  });

  it.each([
    [401, 'InvalidAuthenticationTokenTenant', true],
    [403, 'LinkedAuthorizationFailed', true],
    [403, 'AuthorizationFailed', true],
    [undefined, 'Timeout', false],
    [429, 'TooManyRequests', false],
    [503, 'ServiceUnavailable', false],
    [500, 'AuthorizationFailed', false],
  ] as const)('a read answered %s %s makes an endpoint foreign: %s', (statusCode, code, denied) => {
    expect(isDenied({ operation: 'get private endpoint', resourceId: 'x', statusCode, code, message: '' })).toBe(
      denied,
    );
  });
});
