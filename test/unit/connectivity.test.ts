import { connectivityBasis, connectivityGaps, defaultRouting } from '../../src/probe/connectivity';
import type { ConnectivityState } from '../../src/probe/types';
import {
  avnm,
  B,
  config,
  conn,
  DENIED,
  group,
  hub,
  hubId,
  reach,
  SITE,
  SUB,
  spokes,
  WAN,
  wan,
} from './connectivity-fixtures';

describe('Virtual WAN reach', () => {
  const both = hub('hub-weu', [SITE, B]);
  it.each<[string, ConnectivityState, { via: string; lenient: boolean } | undefined]>([
    ['one hub of a Standard WAN, default routing', wan(both, hub('hub-neu', [])), { via: 'vwan', lenient: false }],
    ['two hubs of one Standard WAN', wan(hub('hub-weu', [SITE]), hub('hub-neu', [B])), { via: 'vwan', lenient: false }],
    ['a Basic WAN: no VNet-to-VNet transit', wan(hub('hub-weu', [SITE, B], { wanType: 'Basic' })), undefined],
    [
      'hubs of two WANs never talk',
      wan(hub('hub-weu', [SITE]), hub('hub-neu', [B], { virtualWanId: `${WAN}-other` })),
      undefined,
    ],
    [
      'custom routing: assumed',
      wan(
        {
          ...both,
          connections: [
            conn('hub-weu', SITE),
            conn('hub-weu', B, {
              associatedRouteTableId: `${hubId('hub-weu')}/hubRouteTables/rt-b`,
              propagatedLabels: ['shared'],
            }),
          ],
        },
        hub('hub-neu', []),
      ),
      { via: 'vwan', lenient: true },
    ],
    [
      'the WAN type unknown: assumed',
      wan(hub('hub-weu', [SITE, B], { wanType: undefined }), hub('hub-neu', [])),
      { via: 'vwan', lenient: true },
    ],
    [
      'the endpoint VNet on no hub, every hub of the WAN read',
      wan(hub('hub-weu', [SITE]), hub('hub-neu', [])),
      undefined,
    ],
    [
      'the endpoint VNet on no hub read, a hub of the WAN not read: assumed',
      wan(hub('hub-weu', [SITE])),
      { via: 'vwan', lenient: true },
    ],
    [
      'the endpoint VNet on no hub read, the WAN unreadable: assumed',
      wan(hub('hub-weu', [SITE], { wanHubIds: undefined })),
      { via: 'vwan', lenient: true },
    ],
    [
      'a failed connection carries nothing',
      wan(
        { ...both, connections: [conn('hub-weu', SITE), conn('hub-weu', B, { provisioningState: 'Failed' })] },
        hub('hub-neu', []),
      ),
      undefined,
    ],
    ['the site on no hub read: Virtual WAN says nothing', wan(hub('hub-weu', [B]), hub('hub-neu', [])), undefined],
  ])('%s', (_name, state, want) => {
    const r = reach(state);
    expect(r === undefined ? undefined : { via: r.via, lenient: r.lenient }).toEqual(want);
  });

  it('a subscription whose hubs could not be read leaves a VNet on no hub read assumed reachable', () => {
    const state: ConnectivityState = {
      virtualWan: [
        { subscriptionId: SUB, hubs: { ok: true, value: [hub('hub-weu', [SITE]), hub('hub-neu', [])] } },
        { subscriptionId: 'other', hubs: { ok: false, error: DENIED } },
      ],
    };
    expect(reach(state)).toMatchObject({ via: 'vwan', lenient: true });
    expect(connectivityGaps(state)).toEqual(['the Virtual WAN hubs of subscription other (403 AuthorizationFailed)']);
  });

  it('default routing is the default route table and label only, IDs compared by their last segments', () => {
    expect(defaultRouting(conn('h', SITE))).toBe(true);
    expect(
      defaultRouting(
        conn('h', SITE, { associatedRouteTableId: undefined, propagatedRouteTableIds: [], propagatedLabels: [] }),
      ),
    ).toBe(true);
    expect(
      defaultRouting(conn('h', SITE, { propagatedRouteTableIds: [`${hubId('h')}/hubRouteTables/noneRouteTable`] })),
    ).toBe(false);
    expect(defaultRouting(conn('h', SITE, { propagatedLabels: ['default', 'red'] }))).toBe(false);
  });
});

describe('AVNM reach', () => {
  it.each<[string, ConnectivityState, string, { via: string; lenient: boolean } | undefined]>([
    [
      'one regional mesh through a common group, one region',
      avnm([config('m')], [config('m')]),
      'westeurope',
      { via: 'avnm', lenient: false },
    ],
    ['a regional mesh, two regions', avnm([config('m')], [config('m')], 'northeurope'), 'westeurope', undefined],
    [
      'a region written otherwise is the same region',
      avnm([config('m')], [config('m')], 'West Europe'),
      'westeurope',
      { via: 'avnm', lenient: false },
    ],
    [
      'a global mesh spans regions',
      avnm([config('m', { isGlobal: true })], [config('m', { isGlobal: true })], 'northeurope'),
      'westeurope',
      { via: 'avnm', lenient: false },
    ],
    [
      'the endpoint VNet region unknown: assumed',
      avnm([config('m')], [config('m')], null),
      'westeurope',
      { via: 'avnm', lenient: true },
    ],
    [
      'one mesh, different groups: assumed',
      avnm([config('m')], [config('m', { member: ['g2'] })]),
      'westeurope',
      { via: 'avnm', lenient: true },
    ],
    ['different configurations', avnm([config('m1')], [config('m2')]), 'westeurope', undefined],
    [
      'the endpoint VNet configurations unreadable: assumed',
      avnm([config('m')], 'denied'),
      'westeurope',
      { via: 'avnm', lenient: true },
    ],
    ['the site under no configuration: AVNM says nothing', avnm([], [config('m')]), 'westeurope', undefined],
    [
      'hub and spoke: the endpoint VNet is the hub',
      avnm([config('hs', { topology: 'HubAndSpoke', hubIds: [B] })], []),
      'westeurope',
      { via: 'avnm', lenient: false },
    ],
    [
      'hub and spoke: this VNet is the hub',
      avnm([config('other')], [config('hs', { topology: 'HubAndSpoke', hubIds: [SITE] })]),
      'westeurope',
      { via: 'avnm', lenient: false },
    ],
    [
      'two spokes of a directly connected group, one region',
      avnm([config('hs', spokes)], [config('hs', spokes)]),
      'westeurope',
      { via: 'avnm', lenient: false },
    ],
    [
      'two spokes of a directly connected group, two regions',
      avnm([config('hs', spokes)], [config('hs', spokes)], 'northeurope'),
      'westeurope',
      undefined,
    ],
    [
      'two spokes without direct connectivity',
      avnm([config('hs', { topology: 'HubAndSpoke' })], [config('hs', { topology: 'HubAndSpoke' })]),
      'westeurope',
      undefined,
    ],
  ])('%s', (_name, state, location, want) => {
    const r = reach(state, B, location);
    expect(r === undefined ? undefined : { via: r.via, lenient: r.lenient }).toEqual(want);
  });

  it("compares groups by manager and name (ARM's examples spell the segment networkGroups and groups)", () => {
    const spelled = config('m', {
      groups: [{ networkGroupId: group('g1', 'groups'), directlyConnected: false, isGlobal: false }],
    });
    expect(reach(avnm([spelled], [config('m')]))).toMatchObject({ via: 'avnm', lenient: false });
  });

  it('a site read that failed says nothing of reach, and names the read in the basis and the gaps', () => {
    const state: ConnectivityState = { networkManager: { site: { ok: false, error: DENIED }, vnets: {} } };
    expect(reach(state)).toBeUndefined();
    expect(connectivityGaps(state)).toEqual(["this VNet's AVNM connectivity configurations (403 AuthorizationFailed)"]);
    expect(connectivityBasis(SITE, state)).toEqual([
      'AVNM: the effective connectivity configurations could not be read (403 AuthorizationFailed): VNets connected only through AVNM are not known',
    ]);
  });

  it('a reach read from ARM wins over an assumed one', () => {
    const state: ConnectivityState = {
      ...wan(hub('hub-weu', [SITE, B], { wanType: undefined }), hub('hub-neu', [])),
      ...avnm([config('m')], [config('m')]),
    };
    expect(reach(state)).toMatchObject({ via: 'avnm', lenient: false, basis: 'AVNM mesh m (westeurope)' });
  });
});
