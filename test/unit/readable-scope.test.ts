import { staticTokenCredential } from '../../src/adapters/credential';
import { mapSubscriptionWire } from '../../src/adapters/subscriptions';
import { createProbeDeps, type EngineOptions } from '../../src/engine';
import { cloudProfile } from '../../src/probe/clouds';
import type { Inventory } from '../../src/probe/inventory';
import { emptyInventory } from '../support/empty-inventory';
import {
  chooseScope,
  inventoryRequests,
  ReadableScopeInventory,
  type ScopeChoice,
  type SubscriptionRecord,
} from '../../src/probe/readable-scope';

const sub = (id: string, state = 'Enabled'): SubscriptionRecord => ({
  subscriptionId: id,
  displayName: id,
  state,
  tenantId: 't',
});

describe('the subscription list, from its wire shape', () => {
  it('maps an element of value[] as GET /subscriptions (2022-12-01) sends it', () => {
    const wire = {
      id: '/subscriptions/6E2B1C3A-0000-4000-8000-000000000001',
      subscriptionId: '6E2B1C3A-0000-4000-8000-000000000001',
      tenantId: '3c5e9a1d-7b2f-4e6a-9d0c-1f2e3d4c5b6a',
      displayName: 'Landing zone: payments',
      state: 'PastDue',
      subscriptionPolicies: {
        locationPlacementId: 'Public_2014-09-01',
        quotaId: 'PayAsYouGo_2014-09-01',
        spendingLimit: 'Off',
      },
      authorizationSource: 'RoleBased',
      managedByTenants: [{ tenantId: '11111111-2222-4333-8444-555555555555' }],
      tags: { owner: 'platform' },
    };
    expect(mapSubscriptionWire(wire)).toEqual({
      subscriptionId: '6e2b1c3a-0000-4000-8000-000000000001',
      displayName: 'Landing zone: payments',
      state: 'PastDue',
      tenantId: '3c5e9a1d-7b2f-4e6a-9d0c-1f2e3d4c5b6a',
    });
  });

  it('falls back to the id, and skips an element with neither', () => {
    expect(mapSubscriptionWire({ id: '/subscriptions/abc' })).toEqual({
      subscriptionId: 'abc',
      displayName: 'abc',
      state: 'Unknown',
      tenantId: undefined,
    });
    expect(mapSubscriptionWire({ displayName: 'x' })).toBeUndefined();
  });
});

describe('choosing how to read every readable subscription', () => {
  it.each([
    [0, 0, 0],
    [1, 5, 4],
    [3, 15, 6],
    [200, 1000, 203],
  ])('%d subscriptions: batched %d requests, resource-graph %d', (n, batched, graph) => {
    expect(inventoryRequests('batched', n)).toBe(batched);
    expect(inventoryRequests('resource-graph', n)).toBe(graph);
  });

  it('probes Enabled, Warned and PastDue; counts the others as skipped', () => {
    const c = chooseScope([
      sub('a'),
      sub('b', 'Warned'),
      sub('c', 'PastDue'),
      sub('d', 'Disabled'),
      sub('e', 'Deleted'),
      sub('f', 'Disabled'),
    ]);
    expect(c.subscriptions).toEqual(['a', 'b', 'c']);
    expect(c.skipped).toEqual({ Disabled: 2, Deleted: 1 });
    expect(c.listed).toBe(6);
  });

  it('takes the cheaper inventory, batched when nothing is to be read, and the forced one when asked', () => {
    expect(chooseScope([sub('a')]).inventory).toBe('resource-graph');
    expect(chooseScope([]).inventory).toBe('batched');
    expect(chooseScope([sub('a'), sub('b')], 'batched').inventory).toBe('batched');
  });
});

describe('ReadableScopeInventory', () => {
  const fake = (name: string): Inventory => ({
    ...emptyInventory(),
    listVaults: async (s) => [
      {
        id: `/subscriptions/${s}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
        name,
        subscriptionId: s,
        resourceGroup: 'rg',
        host: `${name}.vault.azure.net`,
        publicNetworkAccess: undefined,
        connections: [],
      },
    ],
    getVault: async () => {
      throw new Error('unused');
    },
    getPrivateEndpoint: async () => {
      throw new Error('unused');
    },
    getNetworkInterface: async () => {
      throw new Error('unused');
    },
    describe: () => ({ source: name, fromCache: [] }),
  });

  it('lists first, builds the chosen inventory for those subscriptions, then reads through it', async () => {
    const made: [string, readonly string[]][] = [];
    const heard: ScopeChoice[] = [];
    const inv = new ReadableScopeInventory(
      { listSubscriptions: async () => [sub('a'), sub('b', 'Disabled')] },
      (kind, subs) => (made.push([kind, subs]), fake(kind)),
      (c) => heard.push(c),
    );
    const signal = new AbortController().signal;
    await expect(inv.listVaults('a', signal)).rejects.toThrow('the readable subscriptions were not listed yet');
    expect(await inv.scopeSubscriptions(signal)).toEqual(['a']);
    expect(made).toEqual([['resource-graph', ['a']]]);
    expect(heard.map((c) => c.skipped)).toEqual([{ Disabled: 1 }]);
    expect((await inv.listVaults('a', signal)).map((v) => v.name)).toEqual(['resource-graph']);
    expect(inv.describe().source).toBe('resource-graph');
  });

  it('reads zone groups on drift only, as the batched inventories it builds do (a choice the engine makes)', () => {
    const deps = (options: Partial<EngineOptions>) =>
      createProbeDeps({
        cloud: cloudProfile('AzureCloud'),
        dnsServers: [],
        connectTo: [],
        timeoutMs: 1000,
        env: {},
        credential: staticTokenCredential('t'),
        ...options,
      });
    expect(deps({ readableScope: {} }).zoneGroupPolicy).toBe('on-drift');
    expect(deps({ readableScope: {}, inventory: 'batched' }).zoneGroupPolicy).toBe('on-drift');
    expect(deps({ inventory: 'batched', subscriptions: ['a'] }).zoneGroupPolicy).toBe('on-drift');
    expect(deps({ inventory: 'resource-graph', subscriptions: ['a'] }).zoneGroupPolicy).toBe('on-drift');
    expect(deps({ inventory: 'per-vault', subscriptions: ['a'] }).zoneGroupPolicy).toBe('always');
    expect(deps({ subscriptions: ['a'], targetCount: 1 }).zoneGroupPolicy).toBe('always');
    expect(deps({ subscriptions: ['a'] }).zoneGroupPolicy).toBe('on-drift');
  });

  it('lets a failed list throw, for the pipeline to report', async () => {
    const inv = new ReadableScopeInventory(
      {
        listSubscriptions: async () => {
          throw new Error('403');
        },
      },
      () => fake('x'),
    );
    await expect(inv.scopeSubscriptions(new AbortController().signal)).rejects.toThrow('403');
  });
});
