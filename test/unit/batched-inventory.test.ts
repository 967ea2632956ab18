import { BatchedInventory, SnapshotCache, type SubscriptionLists } from '../../src/probe/batched-inventory';
import { InventoryError, type Inventory } from '../../src/probe/inventory';
import type { NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';

const APP = '11111111-1111-1111-1111-111111111111';
const NET = '22222222-2222-2222-2222-222222222222';
const signal = new AbortController().signal;
const peId = (sub: string, n: string) =>
  `/subscriptions/${sub}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/${n}`;
const nicId = (sub: string, n: string) =>
  `/subscriptions/${sub}/resourceGroups/net/providers/Microsoft.Network/networkInterfaces/${n}`;
const pe = (sub: string, n: string): PrivateEndpointRecord => ({
  id: peId(sub, n),
  name: n,
  provisioningState: 'Succeeded',
  subnetId: undefined,
  connections: [],
  networkInterfaceIds: [nicId(sub, `${n}.nic`)],
  customDnsConfigs: [],
});
const nic = (sub: string, n: string, ip: string): NetworkInterfaceRecord => ({
  id: nicId(sub, n),
  ipConfigurations: [{ privateIpAddress: ip, fqdns: [] }],
});
const vault = (n: string, connections: VaultRecord['connections'] = []): VaultRecord => ({
  id: `/subscriptions/${APP}/resourceGroups/apps/providers/Microsoft.KeyVault/vaults/${n}`,
  name: n,
  subscriptionId: APP,
  resourceGroup: 'apps',
  host: `${n}.vault.azure.net`,
  publicNetworkAccess: 'Disabled',
  connections,
});

/** Plain-data lists that count their calls and can fail on demand. */
class Lists implements SubscriptionLists {
  calls: string[] = [];
  failWith: InventoryError | undefined;
  constructor(
    private readonly data: {
      vaults: Record<string, VaultRecord[]>;
      pes: Record<string, PrivateEndpointRecord[]>;
      nics: Record<string, NetworkInterfaceRecord[]>;
    },
  ) {}
  scopeSubscriptions(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  private read<T>(kind: string, sub: string, from: Record<string, T[]>): Promise<T[]> {
    this.calls.push(`${kind}/${sub}`);
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve(from[sub] ?? []);
  }
  listVaults(sub: string) {
    return this.read('vaults', sub, this.data.vaults);
  }
  listPrivateEndpoints(sub: string) {
    return this.read('pes', sub, this.data.pes);
  }
  listNetworkInterfaces(sub: string) {
    return this.read('nics', sub, this.data.nics);
  }
}

/** Single reads: records which IDs were read one by one; the other reads are an empty world's. */
function singleReads(): Inventory & { reads: string[] } {
  const reads: string[] = [];
  return {
    ...emptyInventory(),
    reads,
    listVaults(): Promise<VaultRecord[]> {
      throw new Error('not used');
    },
    getVault(): Promise<VaultRecord> {
      throw new Error('not used');
    },
    async getPrivateEndpoint(id: string) {
      reads.push(id);
      return pe(NET, 'late');
    },
    async getNetworkInterface(id: string) {
      reads.push(id);
      return nic(NET, 'late.nic', '10.9.9.9');
    },
  };
}

describe('BatchedInventory', () => {
  const data = {
    vaults: {
      [APP]: [
        vault('kv1', [
          { id: 'c', privateEndpointId: peId(NET, 'pe1'), status: 'Approved', provisioningState: 'Succeeded' },
        ]),
        vault('kv-no-endpoint'),
      ],
    },
    pes: { [NET]: [pe(NET, 'pe1'), pe(NET, 'pe2')] },
    nics: { [NET]: [nic(NET, 'pe1.nic', '10.0.0.4')] },
  };

  it('joins endpoints and NICs in another subscription than their vault, case-insensitively, one list each', async () => {
    const lists = new Lists(data);
    const inv = new BatchedInventory('batched', lists, singleReads());
    expect((await inv.listVaults(APP, signal)).map((v) => v.name)).toEqual(['kv1', 'kv-no-endpoint']);
    const p1 = await inv.getPrivateEndpoint(peId(NET, 'pe1').toUpperCase(), signal);
    const p2 = await inv.getPrivateEndpoint(peId(NET, 'pe2'), signal);
    expect([p1.name, p2.name]).toEqual(['pe1', 'pe2']);
    expect((await inv.getNetworkInterface(nicId(NET, 'PE1.NIC'), signal)).ipConfigurations[0]?.privateIpAddress).toBe(
      '10.0.0.4',
    );
    expect(lists.calls).toEqual([`vaults/${APP}`, `pes/${NET}`, `nics/${NET}`]);
  });

  it('reads a NIC that the list did not return one by one', async () => {
    const single = singleReads();
    const inv = new BatchedInventory('batched', new Lists(data), single);
    await inv.getNetworkInterface(nicId(NET, 'pe2.nic'), signal);
    expect(single.reads).toEqual([nicId(NET, 'pe2.nic')]);
  });

  it('serves the last good list when ARM throttles, and says so', async () => {
    let now = 1_000;
    const cache = new SnapshotCache();
    const lists = new Lists(data);
    await new BatchedInventory('batched', lists, singleReads(), cache, () => now).listVaults(APP, signal);
    now = 301_000;
    lists.failWith = new InventoryError('throttled', 'list vaults', undefined, 429, 'TooManyRequests');
    const second = new BatchedInventory('batched', lists, singleReads(), cache, () => now);
    expect((await second.listVaults(APP, signal)).map((v) => v.name)).toEqual(['kv1', 'kv-no-endpoint']);
    expect(second.describe()).toEqual({
      source: 'batched',
      fromCache: [{ subscriptionId: APP, kind: 'vaults', ageMs: 300_000, reason: '429 TooManyRequests' }],
    });
  });

  it('does not hide a permission error behind the cache', async () => {
    const cache = new SnapshotCache();
    const lists = new Lists(data);
    await new BatchedInventory('batched', lists, singleReads(), cache).listVaults(APP, signal);
    lists.failWith = new InventoryError('denied', 'list vaults', undefined, 403, 'AuthorizationFailed');
    await expect(
      new BatchedInventory('batched', lists, singleReads(), cache).listVaults(APP, signal),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('does not use a snapshot older than its maximum age', async () => {
    let now = 0;
    const cache = new SnapshotCache(60_000);
    const lists = new Lists(data);
    await new BatchedInventory('batched', lists, singleReads(), cache, () => now).listVaults(APP, signal);
    now = 120_000;
    lists.failWith = new InventoryError('throttled', 'list vaults', undefined, 429, 'TooManyRequests');
    await expect(
      new BatchedInventory('batched', lists, singleReads(), cache, () => now).listVaults(APP, signal),
    ).rejects.toMatchObject({ statusCode: 429 });
  });

  it('keeps a shared list going when one caller aborts, and stops it when every caller has', async () => {
    /** Endpoint lists that answer after 200 ms and honour their signal, as the ARM adapter does. */
    class SlowLists extends Lists {
      override listPrivateEndpoints(sub: string, s?: AbortSignal): Promise<PrivateEndpointRecord[]> {
        this.calls.push(`pes/${sub}`);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve(data.pes[NET]), 200);
          s?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              reject(s.reason as unknown);
            },
            { once: true },
          );
        });
      }
    }
    const lists = new SlowLists(data);
    const inv = new BatchedInventory('batched', lists, singleReads());
    const [a, b] = [new AbortController(), new AbortController()];
    const first = inv.getPrivateEndpoint(peId(NET, 'pe1'), a.signal);
    const second = inv.getPrivateEndpoint(peId(NET, 'pe2'), b.signal);
    const both = Promise.allSettled([first, second]);
    a.abort(new DOMException('vault A timed out', 'TimeoutError'));
    expect(await both).toMatchObject([
      { status: 'fulfilled', value: { name: 'pe1' } },
      { status: 'fulfilled', value: { name: 'pe2' } },
    ]);
    expect(lists.calls).toEqual([`pes/${NET}`]);

    const alone = new BatchedInventory('batched', new SlowLists(data), singleReads());
    const c = new AbortController();
    const only = alone.getPrivateEndpoint(peId(NET, 'pe1'), c.signal);
    c.abort(new DOMException('the run ended', 'TimeoutError'));
    await expect(only).rejects.toMatchObject({ message: 'the run ended' });
  });
});
