import { BatchedInventory } from '../../src/probe/batched-inventory';
import { cloudProfile } from '../../src/probe/clouds';
import { InventoryError, type Inventory } from '../../src/probe/inventory';
import type { Observer } from '../../src/probe/observer';
import { runProbe, type ProbeRequest } from '../../src/probe/pipeline';
import { ReadableScopeInventory } from '../../src/probe/readable-scope';
import type { VaultRecord } from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';

const SUB = '11111111-1111-1111-1111-111111111111';
const PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`;
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const signal = new AbortController().signal;

describe('the empty inventory fake', () => {
  it('reads every list as empty, answers 404 for a single resource, and does not read zone groups', async () => {
    const inv = emptyInventory();
    expect(await inv.listVaults(SUB, signal)).toEqual([]);
    expect(await inv.listPrivateDnsZones(SUB, ['privatelink.vaultcore.azure.net'], signal)).toEqual([]);
    expect(await inv.listForwardingRulesets(VNET, signal)).toEqual([]);
    expect(await inv.listInboundEndpoints([SUB], signal)).toEqual([]);
    expect(await inv.findAddressOwner('10.0.0.9', [SUB], signal)).toBeUndefined();
    expect(await inv.scopeSubscriptions(signal)).toBeUndefined();
    // Not read, which is not "none": none would be ZONE_GROUP_MISSING.
    expect(await inv.listZoneGroups(PE, signal)).toBeUndefined();
    for (const read of [
      inv.getVault({ subscriptionId: SUB, resourceGroup: 'rg', name: 'kv1' }, signal),
      inv.getPrivateEndpoint(PE, signal),
      inv.getNetworkInterface(`${PE}.nic`, signal),
      inv.getPrivateDnsZone(ZONE, signal),
      inv.getVirtualNetwork(VNET, signal),
    ])
      await expect(read).rejects.toMatchObject({ name: 'InventoryError', statusCode: 404, code: 'NotFound' });
    expect(inv.describe()).toEqual({ source: 'fake', fromCache: [] });
  });
});

describe('"not read" and "read, none" stay apart in a run', () => {
  const vault: VaultRecord = {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`,
    name: 'kv1',
    subscriptionId: SUB,
    resourceGroup: 'rg',
    host: 'kv1.vault.azure.net',
    publicNetworkAccess: 'Disabled',
    connections: [{ id: 'c1', privateEndpointId: PE, status: 'Approved', provisioningState: 'Succeeded' }],
  };
  const world = (over: Partial<Inventory> = {}): Inventory => ({
    ...emptyInventory(),
    listVaults: async () => [vault],
    getPrivateEndpoint: async (id) => ({
      id,
      name: 'pe1',
      provisioningState: 'Succeeded',
      subnetId: undefined,
      connections: [],
      networkInterfaceIds: [`${id}.nic`],
      customDnsConfigs: [],
    }),
    getNetworkInterface: async (id) => ({ id, ipConfigurations: [{ privateIpAddress: '10.0.0.4', fqdns: [] }] }),
    ...over,
  });
  const observer: Observer = {
    resolveOs: async () => ({ addresses: ['10.0.0.4'], durationMs: 1 }),
    resolveDns: async (host) => ({
      servers: [],
      cnames: [host.replace('.vault.', '.privatelink.vaultcore.')],
      addresses: ['10.0.0.4'],
      durationMs: 1,
    }),
    probeDataplane: async () => {
      throw new Error('dataplane off');
    },
    proxyFor: () => undefined,
  };
  const request: ProbeRequest = {
    cloud: cloudProfile('AzureCloud'),
    location: 't',
    subscriptions: [SUB],
    targets: [],
    dataplane: false,
    timeoutMs: 1000,
    concurrency: 1,
  };

  it('zone groups not read: nothing is said about them, the vault is healthy', async () => {
    const r = await runProbe(request, { inventory: world(), observer });
    expect(r.results.map((x) => [x.status, x.findings.map((f) => f.code)])).toEqual([['healthy', []]]);
  });

  it('zone groups read and none: ZONE_GROUP_MISSING', async () => {
    const r = await runProbe(request, { inventory: world({ listZoneGroups: async () => [] }), observer });
    expect(r.results.map((x) => [x.status, x.findings.map((f) => f.code)])).toEqual([
      ['healthy', ['ZONE_GROUP_MISSING']],
    ]);
  });

  it('a zone group read that fails leaves them unknown, as not reading them does', async () => {
    const denied = new InventoryError('denied', 'list DNS zone groups', PE, 403, 'AuthorizationFailed');
    const r = await runProbe(request, {
      inventory: world({ listZoneGroups: () => Promise.reject(denied) }),
      observer,
    });
    expect(r.results.map((x) => [x.status, x.findings.map((f) => f.code)])).toEqual([['healthy', []]]);
  });
});

describe('the inventories that wrap another pass every read through', () => {
  /** Records which read reached it, by method name. */
  function recording(): { inv: Inventory; reads: string[] } {
    const reads: string[] = [];
    const base = emptyInventory('inner');
    const inv = Object.fromEntries(
      Object.entries(base).map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          reads.push(name);
          return (fn as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as unknown as Inventory;
    return { inv, reads };
  }
  const everyRead = async (inv: Inventory): Promise<void> => {
    await Promise.allSettled([
      inv.getPrivateDnsZone(ZONE, signal),
      inv.listPrivateDnsZones(SUB, ['privatelink.vaultcore.azure.net'], signal),
      inv.listZoneGroups(PE, signal),
      inv.getVirtualNetwork(VNET, signal),
      inv.listForwardingRulesets(VNET, signal),
      inv.listInboundEndpoints([SUB], signal),
    ]);
  };
  const passed = [
    'getPrivateDnsZone',
    'listPrivateDnsZones',
    'listZoneGroups',
    'getVirtualNetwork',
    'listForwardingRulesets',
    'listInboundEndpoints',
  ];

  it('BatchedInventory: to its single reader', async () => {
    const single = recording();
    const lists = {
      listVaults: async () => [],
      listPrivateEndpoints: async () => [],
      listNetworkInterfaces: async () => [],
      scopeSubscriptions: async () => undefined,
    };
    await everyRead(new BatchedInventory('batched', lists, single.inv));
    expect(single.reads.sort()).toEqual([...passed].sort());
  });

  it('ReadableScopeInventory: to the inventory it built for the scope (rulesets and resolvers included)', async () => {
    const inner = recording();
    const inv = new ReadableScopeInventory({ listSubscriptions: async () => [] }, () => inner.inv);
    await inv.scopeSubscriptions(signal);
    await everyRead(inv);
    await inv.findAddressOwner('10.0.0.9', [SUB], signal);
    expect(inner.reads.sort()).toEqual([...passed, 'findAddressOwner'].sort());
    expect(inv.describe().source).toBe('inner');
  });
});
