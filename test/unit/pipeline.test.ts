import { cloudProfile } from '../../src/probe/clouds';
import type { Inventory } from '../../src/probe/inventory';
import type { Observer } from '../../src/probe/observer';
import { runProbe, type ProbeRequest } from '../../src/probe/pipeline';
import type { NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';

const SUB = '11111111-1111-1111-1111-111111111111';
const cloud = cloudProfile('AzureCloud');

// In-memory stand-ins for the two ports of the pipeline: plain data and a fixed delay, no network.
function inventory(count: number): Inventory {
  const vaults: VaultRecord[] = Array.from({ length: count }, (_, i) => ({
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv${i}`,
    name: `kv${i}`,
    subscriptionId: SUB,
    resourceGroup: 'rg',
    host: `kv${i}.vault.azure.net`,
    publicNetworkAccess: 'Disabled',
    connections: [
      {
        id: `c${i}`,
        privateEndpointId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe${i}`,
        status: 'Approved',
        provisioningState: 'Succeeded',
      },
    ],
  }));
  return {
    ...emptyInventory(),
    listVaults: async () => vaults,
    getVault: async () => {
      throw new Error('unused');
    },
    getPrivateEndpoint: async (id): Promise<PrivateEndpointRecord> => ({
      id,
      name: id.split('/').pop() ?? '',
      provisioningState: 'Succeeded',
      subnetId: undefined,
      connections: [],
      networkInterfaceIds: [`${id}.nic`],
      customDnsConfigs: [],
    }),
    getNetworkInterface: async (id): Promise<NetworkInterfaceRecord> => ({
      id,
      ipConfigurations: [{ privateIpAddress: `10.0.0.${Number(/pe(\d+)/.exec(id)?.[1] ?? 0) + 1}`, fqdns: [] }],
    }),
    listVirtualHubs: async () => [],
    listEffectiveConnectivityConfigurations: async () => [],
  };
}

function observer(delayMs: number): Observer {
  const wait = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delayMs);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  const ip = (host: string) => `10.0.0.${Number(/kv(\d+)/.exec(host)?.[1] ?? 0) + 1}`;
  return {
    resolveOs: async (host, signal) => {
      await wait(signal);
      return { addresses: [ip(host)], durationMs: delayMs };
    },
    resolveDns: async (host, signal) => {
      await wait(signal);
      return {
        servers: [],
        cnames: [host.replace('.vault.', '.privatelink.vaultcore.')],
        addresses: [ip(host)],
        durationMs: delayMs,
      };
    },
    probeDataplane: async () => {
      throw new Error('dataplane off');
    },
    proxyFor: () => undefined,
  };
}

const request = (over: Partial<ProbeRequest> = {}): ProbeRequest => ({
  cloud,
  location: 't',
  subscriptions: [SUB],
  targets: [],
  dataplane: false,
  timeoutMs: 1000,
  concurrency: 2,
  ...over,
});

describe('runProbe', () => {
  it('gives every vault exactly one result, healthy when everything matches', async () => {
    const r = await runProbe(request(), { inventory: inventory(6), observer: observer(1) });
    expect(r.results.map((x) => `${x.vault}:${x.status}`)).toEqual([
      'kv0:healthy',
      'kv1:healthy',
      'kv2:healthy',
      'kv3:healthy',
      'kv4:healthy',
      'kv5:healthy',
    ]);
    expect(r.summary).toEqual({ vaults: 6, healthy: 6, unhealthy: 0, unknown: 0, skipped: 0 });
  });

  it('reports the vaults the deadline cut off as unknown, never drops them', async () => {
    const r = await runProbe(request({ deadlineMs: 150, concurrency: 2 }), {
      inventory: inventory(10),
      observer: observer(60),
    });
    expect(r.results).toHaveLength(10);
    const cut = r.results.filter((x) => x.findings.some((f) => f.code === 'RUN_DEADLINE_EXCEEDED'));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((x) => x.status === 'unknown' && x.findings.length === 1)).toBe(true);
    expect(r.results.filter((x) => x.status === 'healthy').length + cut.length).toBe(10);
    expect(r.durationMs).toBeLessThan(1000);
  });
});

// issue 10: inventory gaps closed in the pipeline.
describe('discovery gaps', () => {
  const pe = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe0`;
  const listed: VaultRecord = {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv0`,
    name: 'kv0',
    subscriptionId: SUB,
    resourceGroup: 'rg',
    host: 'kv0.vault.azure.net',
    publicNetworkAccess: 'Disabled',
    connections: [],
    connectionsListed: false,
  };

  it('reads a vault whose list entry left its connections out, instead of skipping it as endpoint-less', async () => {
    const inv: Inventory = {
      ...inventory(0),
      listVaults: async () => [listed],
      getVault: async () => ({
        ...listed,
        connectionsListed: true,
        connections: [{ id: 'c0', privateEndpointId: pe, status: 'Approved', provisioningState: 'Succeeded' }],
      }),
    };
    const r = await runProbe(request(), { inventory: inv, observer: observer(1) });
    expect(r.summary).toMatchObject({ vaults: 1, healthy: 1, skipped: 0 });
  });

  it('still skips it when the vault itself has no connection', async () => {
    const inv: Inventory = {
      ...inventory(0),
      listVaults: async () => [listed],
      getVault: async () => ({ ...listed, connectionsListed: true }),
    };
    expect((await runProbe(request(), { inventory: inv, observer: observer(1) })).summary).toMatchObject({
      vaults: 0,
      skipped: 1,
    });
  });

  it("passes a management group's subscriptions to the zone and address-owner lookups", async () => {
    // The zone lives in the connectivity subscription, which holds no vault: only the scope names it.
    const SUB_DNS = '22222222-2222-4222-8222-222222222222';
    const zoneLists: string[] = [];
    const base = inventory(1);
    const inv: Inventory = {
      ...base,
      listVaults: async (sub, signal) => (sub === SUB ? base.listVaults(sub, signal) : []),
      scopeSubscriptions: async () => [SUB, SUB_DNS],
      listPrivateDnsZones: async (sub) => {
        zoneLists.push(sub);
        return [];
      },
    };
    await runProbe(request({ subscriptions: [] }), { inventory: inv, observer: observer(1) });
    expect(zoneLists.sort()).toEqual([SUB, SUB_DNS].sort());
  });
});
