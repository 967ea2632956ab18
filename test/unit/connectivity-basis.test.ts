import { connectivityBasis } from '../../src/probe/connectivity';
import type { ConnectivityState } from '../../src/probe/types';
import { avnm, B, config, conn, DENIED, group, hub, reach, SITE, SUB, spokes, wan } from './connectivity-fixtures';

/**
 * The basis each reach carries, in words: what the expectation, the findings and the table show. connectivity.test.ts
 * pins via and lenient; these pin the text. Written from `npm run mutate`'s survivors; literal expectations.
 */
describe('the basis of each Virtual WAN reach', () => {
  const both = hub('hub-weu', [SITE, B]);
  it.each<[string, ConnectivityState, string | undefined]>([
    ['one hub, default routing', wan(both, hub('hub-neu', [])), 'Virtual WAN hub hub-weu'],
    ['two hubs', wan(hub('hub-weu', [SITE]), hub('hub-neu', [B])), 'Virtual WAN hubs hub-weu and hub-neu'],
    [
      'custom routing and the WAN type unknown',
      wan(
        {
          ...both,
          wanType: undefined,
          connections: [conn('hub-weu', SITE), conn('hub-weu', B, { propagatedLabels: ['red'] })],
        },
        hub('hub-neu', []),
      ),
      'Virtual WAN hub hub-weu (the WAN type is unknown, custom routing: assumed reachable)',
    ],
    [
      'on no hub read, a hub of the WAN not read',
      wan(hub('hub-weu', [SITE])),
      'Virtual WAN hub hub-weu: spoke-b is on no hub read (a hub of the WAN was not read): assumed reachable',
    ],
    [
      'a connection being deleted carries nothing',
      wan(
        { ...both, connections: [conn('hub-weu', SITE), conn('hub-weu', B, { provisioningState: 'Deleting' })] },
        hub('hub-neu', []),
      ),
      undefined,
    ],
    [
      'a connection Updating still carries',
      wan(
        { ...both, connections: [conn('hub-weu', SITE), conn('hub-weu', B, { provisioningState: 'Updating' })] },
        hub('hub-neu', []),
      ),
      'Virtual WAN hub hub-weu',
    ],
  ])('%s', (_name, state, basis) => {
    expect(reach(state)?.basis).toBe(basis);
  });

  it("on no hub read, another subscription's hubs not read: named", () => {
    const state: ConnectivityState = {
      virtualWan: [
        { subscriptionId: SUB, hubs: { ok: true, value: [hub('hub-weu', [SITE]), hub('hub-neu', [])] } },
        { subscriptionId: 'other', hubs: { ok: false, error: DENIED } },
        { subscriptionId: 'third', hubs: { ok: false, error: DENIED } },
      ],
    };
    expect(reach(state)).toStrictEqual({
      via: 'vwan',
      lenient: true,
      basis:
        'Virtual WAN hub hub-weu: spoke-b is on no hub read (the hubs of other, third could not be read): assumed reachable',
    });
  });

  it('the basis lines of a hub read and of AVNM', () => {
    expect(connectivityBasis(SITE, wan(hub('hub-neu', [B])))).toEqual([
      "Virtual WAN: this VNet's hub is not among the 1 hub(s) read: its spokes are assumed reachable",
    ]);
  });
});

describe('the basis of each AVNM reach', () => {
  it.each<[string, ConnectivityState, string | undefined]>([
    ['a regional mesh', avnm([config('m')], [config('m')]), 'AVNM mesh m (westeurope)'],
    [
      'a global mesh',
      avnm([config('m', { isGlobal: true })], [config('m', { isGlobal: true })], 'northeurope'),
      'AVNM mesh m (global)',
    ],
    [
      'a mesh through a global group',
      avnm(
        [config('m', { groups: [{ networkGroupId: group('g1'), directlyConnected: false, isGlobal: true }] })],
        [config('m')],
        'northeurope',
      ),
      'AVNM mesh m (global)',
    ],
    [
      'a region unknown',
      avnm([config('m')], [config('m')], null),
      'AVNM mesh m: a region is unknown, assumed reachable',
    ],
    [
      'different groups',
      avnm([config('m')], [config('m', { member: ['g2'] })]),
      'AVNM mesh m, different network groups: assumed reachable',
    ],
    [
      'the endpoint VNet unreadable',
      avnm([config('m')], 'denied'),
      'AVNM: the configurations of spoke-b could not be read: assumed reachable',
    ],
    ['the hub', avnm([config('hs', { topology: 'HubAndSpoke', hubIds: [B] })], []), 'AVNM hub-and-spoke hs'],
    [
      'spokes directly connected',
      avnm([config('hs', spokes)], [config('hs', spokes)]),
      'AVNM hub-and-spoke hs, spokes directly connected (westeurope)',
    ],
    [
      'spokes directly connected across regions through a global group',
      avnm(
        [
          config('hs', {
            ...spokes,
            groups: [{ networkGroupId: group('g1'), directlyConnected: true, isGlobal: true }],
          }),
        ],
        [config('hs', spokes)],
        'northeurope',
      ),
      'AVNM hub-and-spoke hs, spokes directly connected (global)',
    ],
    [
      'a mesh topology named in capitals is a mesh',
      avnm([config('m', { topology: 'MESH' })], [config('m', { topology: 'MESH' })]),
      'AVNM mesh m (westeurope)',
    ],
    [
      'a group ID without a leading slash is the same group',
      avnm([config('m')], [config('m', { memberGroupIds: [group('g1').slice(1)] })]),
      'AVNM mesh m (westeurope)',
    ],
  ])('%s', (_name, state, basis) => {
    expect(reach(state)?.basis).toBe(basis);
  });

  it('the basis line of the configurations read', () => {
    expect(connectivityBasis(SITE, avnm([config('m'), config('m2')], []))).toEqual([
      'AVNM: 2 effective connectivity configuration(s)',
    ]);
  });
});
