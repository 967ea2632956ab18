import { checkInput } from '../../src/probe/checks';
import { checkDnsAddress } from '../../src/probe/checks/dns-address';
import { checkSiteReach } from '../../src/probe/checks/site-reach';
import { expectationView, siteExpectation } from '../../src/probe/expectation';
import type { Inventory } from '../../src/probe/inventory';
import { InventoryError } from '../../src/probe/inventory';
import { BudgetedReader, readConnectivity, type ProbeRequest } from '../../src/probe/pipeline';
import type {
  ConnectivityState,
  EffectiveConnectivityRecord,
  ExpectedEndpoint,
  ExpectedState,
  Site,
  VirtualHubRecord,
  VirtualNetworkRecord,
} from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

// issue 10: the site expectation with Virtual WAN and AVNM connectivity, and the stage that reads it.
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SITE = net('spoke-a');
const B = net('spoke-b');
const PEER = net('peer');
const HV =
  '/subscriptions/e3b0c442-98fc-4c14-9afb-f4c8996fb924/resourceGroups/RG_hub_1/providers/Microsoft.Network/virtualNetworks/HV_hub_1';
const HUB = `/subscriptions/${SUB}/resourceGroups/conn/providers/Microsoft.Network/virtualHubs/hub`;
const NM = `/subscriptions/${SUB}/resourceGroups/conn/providers/Microsoft.Network/networkManagers/nm`;

function placed(name: string, ip: string, vnet: string): ExpectedEndpoint {
  const e = endpoint(name, ip);
  return { ...e, endpoint: e.endpoint ? { ...e.endpoint, subnetId: `${vnet}/subnets/pe` } : undefined };
}

const site = (peerings: VirtualNetworkRecord['peerings'] = []): VirtualNetworkRecord => ({
  id: SITE,
  location: 'westeurope',
  addressPrefixes: ['10.1.0.0/16'],
  dnsServers: [],
  peerings,
});
const onHub = { remoteVirtualNetworkId: HV, remoteAddressPrefixes: ['10.100.0.0/23'], state: 'Connected' };

const hub = (vnets: readonly string[]): VirtualHubRecord => ({
  id: HUB,
  location: 'westeurope',
  virtualWanId: `${HUB}-wan`,
  wanType: 'Standard',
  wanHubIds: [HUB],
  connections: vnets.map((v) => ({
    id: `${HUB}/hubVirtualNetworkConnections/${v.split('/').pop() ?? ''}`,
    remoteVirtualNetworkId: v,
    provisioningState: 'Succeeded',
    associatedRouteTableId: undefined,
    propagatedRouteTableIds: [],
    propagatedLabels: [],
  })),
});
const DENIED = {
  operation: 'list',
  resourceId: undefined,
  statusCode: 403,
  code: 'AuthorizationFailed',
  message: 'no',
};

const mesh: EffectiveConnectivityRecord = {
  id: `${NM}/connectivityConfigurations/mesh`,
  topology: 'Mesh',
  isGlobal: false,
  hubIds: [],
  memberGroupIds: [`${NM}/networkGroups/apps`],
  groups: [{ networkGroupId: `${NM}/networkGroups/apps`, directlyConnected: false, isGlobal: false }],
};

/** kv1 with its one endpoint in spoke-b, and the site spoke-a it is seen from. */
interface Fixture {
  readonly expected: ExpectedState;
  readonly site: Site;
}
const at = (
  vnet: VirtualNetworkRecord,
  connectivity?: ConnectivityState,
  eps = [placed('pe-b', '10.2.2.4', B)],
): Fixture => ({
  expected: expected(eps),
  site: { vnetId: SITE, vnet, ...(connectivity ? { connectivity } : {}) },
});
const expectationAt = (f: Fixture) => siteExpectation(f.expected, f.site);
const input = (f: Fixture, os = ['10.2.2.4']) =>
  checkInput({ cloud: CLOUD, expected: f.expected, observed: observed({ os }), site: f.site });
const codes = (fs: readonly { code: string; severity: string }[]): string[] => fs.map((f) => `${f.code}:${f.severity}`);

describe('the site expectation through Virtual WAN and AVNM', () => {
  it('a spoke on the same Virtual WAN hub is expected, with the hub as its basis', () => {
    const e = expectationAt(
      at(site([onHub]), { virtualWan: [{ subscriptionId: SUB, hubs: { ok: true, value: [hub([SITE, B])] } }] }),
    );
    expect(e).toMatchObject({
      kind: 'private',
      ips: ['10.2.2.4'],
      endpoints: [{ reach: 'vwan', basis: 'Virtual WAN hub hub' }],
    });
    expect(expectationView(e).basis).toEqual([
      'Virtual WAN: connected to hub hub (Standard WAN hub-wan), 1 hub(s) read',
    ]);
  });

  it('a spoke on no hub, every hub read: not reached, one warning instead of the lenient transit of old', () => {
    const exp = at(site([onHub]), { virtualWan: [{ subscriptionId: SUB, hubs: { ok: true, value: [hub([SITE])] } }] });
    expect(expectationAt(exp)).toMatchObject({ kind: 'unreachable', endpoints: [] });
    expect(codes([...checkSiteReach(input(exp)), ...checkDnsAddress(input(exp))])).toEqual([
      'VAULT_UNREACHABLE_BY_DESIGN:warning',
      'DNS_UNREACHED_ENDPOINT:warning',
    ]);
  });

  it('hubs that cannot be read keep the lenient transit, and the basis says why', () => {
    for (const connectivity of [
      undefined,
      { virtualWan: [{ subscriptionId: SUB, hubs: { ok: false as const, error: DENIED } }] },
    ]) {
      const e = expectationAt(at(site([onHub]), connectivity));
      expect(e).toMatchObject({ kind: 'private', endpoints: [{ reach: 'transit' }] });
    }
    const e = expectationAt(
      at(site([onHub]), { virtualWan: [{ subscriptionId: SUB, hubs: { ok: false, error: DENIED } }] }),
    );
    expect(e.basis).toContain(`Virtual WAN: the hubs of ${SUB} could not be read (403 AuthorizationFailed)`);
  });

  it('a VNet in the same AVNM mesh is expected; without AVNM it is not, as before', () => {
    const avnm: ConnectivityState = {
      networkManager: {
        site: { ok: true, value: [mesh] },
        vnets: { [B.toLowerCase()]: { configs: { ok: true, value: [mesh] }, location: 'westeurope' } },
      },
    };
    expect(expectationAt(at(site(), avnm))).toMatchObject({ kind: 'private', endpoints: [{ reach: 'avnm' }] });
    expect(expectationAt(at(site()))).toMatchObject({ kind: 'unreachable' });
  });

  it('an AVNM read that was denied raises no error: the warnings name the read', () => {
    const exp = at(site(), { networkManager: { site: { ok: false, error: DENIED }, vnets: {} } });
    const findings = [...checkSiteReach(input(exp)), ...checkDnsAddress(input(exp))];
    expect(codes(findings)).toEqual(['VAULT_UNREACHABLE_BY_DESIGN:warning', 'DNS_UNREACHED_ENDPOINT:warning']);
    expect(findings[0]?.message).toContain(
      "Not readable, so not counted: this VNet's AVNM connectivity configurations (403 AuthorizationFailed).",
    );
    expect(findings[1]?.message).toContain("Reach not readable: this VNet's AVNM connectivity configurations");
  });

  it('connectivity counts only where nothing nearer is reached', () => {
    const eps = [placed('pe-peer', '10.3.2.4', PEER), placed('pe-b', '10.2.2.4', B)];
    const peered = site([onHub, { remoteVirtualNetworkId: PEER, remoteAddressPrefixes: ['10.3.0.0/16'] }]);
    const e = expectationAt(
      at(peered, { virtualWan: [{ subscriptionId: SUB, hubs: { ok: true, value: [hub([SITE, B])] } }] }, eps),
    );
    expect(e).toMatchObject({ ips: ['10.3.2.4'], unreachedIps: ['10.2.2.4'] });
  });
});

describe('reading connectivity (stage 2c)', () => {
  const req: ProbeRequest = {
    cloud: CLOUD,
    location: 't',
    subscriptions: [SUB, 'sub-two'],
    targets: [],
    dataplane: false,
    timeoutMs: 1000,
    concurrency: 1,
    vnetId: SITE,
  };
  function inventory(o: { hubs?: VirtualHubRecord[]; site?: EffectiveConnectivityRecord[] | 'denied' } = {}) {
    const calls: string[] = [];
    const inv: Inventory = {
      ...emptyInventory(),
      getVirtualNetwork: async (id) => {
        calls.push(`vnet ${id}`);
        return { id, location: 'westeurope', addressPrefixes: [], dnsServers: [], peerings: [] };
      },
      listVirtualHubs: async (sub) => {
        calls.push(`hubs ${sub}`);
        return o.hubs ?? [];
      },
      listEffectiveConnectivityConfigurations: async (id) => {
        calls.push(`avnm ${id}`);
        if (id !== SITE) return [mesh];
        if (o.site === 'denied') throw new InventoryError('denied', 'list', id, 403, 'AuthorizationFailed');
        return o.site ?? [];
      },
    };
    return { calls, reader: new BudgetedReader(inv, new AbortController().signal, 5000) };
  }

  it('reads nothing when every endpoint is in this VNet or a peer', async () => {
    const { calls, reader } = inventory();
    const exp = at(site(), undefined, [placed('pe-here', '10.1.2.4', SITE)]);
    expect(await readConnectivity(exp.site, exp.expected, req, reader)).toBe(exp.site);
    expect(calls).toEqual([]);
  });

  it('reads hubs only behind a hub connection, endpoint VNets only when this VNet is under AVNM', async () => {
    const plain = inventory();
    const out = await readConnectivity(at(site()).site, at(site()).expected, req, plain.reader);
    expect(plain.calls).toEqual([`avnm ${SITE}`]);
    expect(out?.connectivity).toEqual({ networkManager: { site: { ok: true, value: [] }, vnets: {} } });

    const behindHub = inventory({ site: [mesh] });
    const both = await readConnectivity(at(site([onHub])).site, at(site([onHub])).expected, req, behindHub.reader);
    expect([...behindHub.calls].sort()).toEqual(
      [`avnm ${SITE}`, `avnm ${B.toLowerCase()}`, `hubs ${SUB}`, 'hubs sub-two', `vnet ${B.toLowerCase()}`].sort(),
    );
    expect(both?.connectivity?.networkManager?.vnets[B.toLowerCase()]).toEqual({
      configs: { ok: true, value: [mesh] },
      location: 'westeurope',
    });
  });

  it('keeps a failed read as data, and reads each thing once per run', async () => {
    const { calls, reader } = inventory({ site: 'denied' });
    const first = await readConnectivity(at(site()).site, at(site()).expected, req, reader);
    await readConnectivity(at(site()).site, at(site()).expected, req, reader);
    expect(first?.connectivity?.networkManager?.site).toMatchObject({
      ok: false,
      error: { statusCode: 403, code: 'AuthorizationFailed' },
    });
    expect(calls).toEqual([`avnm ${SITE}`]);
  });
});
