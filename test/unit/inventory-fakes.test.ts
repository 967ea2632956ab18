import { BatchedInventory } from '../../src/probe/batched-inventory';
import { InventoryError, type Inventory } from '../../src/probe/inventory';
import { runProbe } from '../../src/probe/pipeline';
import { ReadableScopeInventory } from '../../src/probe/readable-scope';
import { emptyInventory } from '../support/empty-inventory';
import { endpoint, peId, probeRequest, quietObserver, SUB, vaultRecord } from './builders';

const PE = peId('pe1');
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
  const vault = vaultRecord('kv1', {
    connections: [{ id: 'c1', privateEndpointId: PE, status: 'Approved', provisioningState: 'Succeeded' }],
  });
  // pe1 of the builders, its NIC at 10.0.0.4: the endpoint of the vault's one connection.
  const {
    endpoint: pe,
    networkInterfaces: [nic],
  } = endpoint('pe1', '10.0.0.4');
  const world = (over: Partial<Inventory> = {}): Inventory => ({
    ...emptyInventory(),
    listVaults: async () => [vault],
    getPrivateEndpoint: async () => pe ?? Promise.reject(new Error('the builder gave no endpoint')),
    getNetworkInterface: async () => nic ?? Promise.reject(new Error('the builder gave no NIC')),
    ...over,
  });
  // Resolved through the privatelink zone to the endpoint's NIC: healthy unless the inventory says otherwise.
  const observer = quietObserver({
    resolveDns: async (host) => ({
      servers: [],
      cnames: [host.replace('.vault.', '.privatelink.vaultcore.')],
      addresses: ['10.0.0.4'],
      durationMs: 1,
    }),
  });
  const request = probeRequest({ dataplane: false, timeoutMs: 1000, concurrency: 1 });

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
