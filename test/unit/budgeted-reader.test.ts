import { withTimeout } from '../../src/probe/concurrency';
import type { Inventory } from '../../src/probe/inventory';
import { BudgetedReader } from '../../src/probe/pipeline';
import type { PrivateEndpointRecord } from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';

const PE =
  '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1';
const record: PrivateEndpointRecord = {
  id: PE,
  name: 'pe1',
  provisioningState: 'Succeeded',
  subnetId: undefined,
  connections: [],
  networkInterfaceIds: [],
  customDnsConfigs: [],
};

/** An endpoint read that answers after `ms` and honours its signal, as the ARM adapter does; counts its calls. */
function slowInventory(ms: number): Inventory & { calls: number } {
  const inv = {
    ...emptyInventory(),
    calls: 0,
    listVaults: () => Promise.resolve([]),
    getVault: () => Promise.reject(new Error('not used')),
    getNetworkInterface: () => Promise.reject(new Error('not used')),
    listVirtualHubs: async () => [],
    listEffectiveConnectivityConfigurations: async () => [],
    getPrivateEndpoint: (_id: string, signal: AbortSignal) => {
      inv.calls++;
      return new Promise<PrivateEndpointRecord>((resolve, reject) => {
        const timer = setTimeout(() => resolve(record), ms);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason as unknown);
          },
          { once: true },
        );
      });
    },
  };
  return inv;
}

describe('BudgetedReader', () => {
  it('keeps a shared read going when the caller that started it gives up (one vault must not fail the others)', async () => {
    const inv = slowInventory(300);
    const run = new AbortController();
    const reader = new BudgetedReader(inv, run.signal, 10_000);
    // Vault A gives up after 10 ms (and the abandon grace); vault B needs the same endpoint and can wait for it.
    const a = withTimeout(run.signal, 10, () => reader.endpoint(PE));
    const b = reader.endpoint(PE);
    await expect(a).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(b).resolves.toEqual(record);
    expect(inv.calls).toBe(1);
  });

  it('reads a shared record once, whatever the case of its ID', async () => {
    const inv = slowInventory(1);
    const reader = new BudgetedReader(inv, new AbortController().signal, 10_000);
    await Promise.all([reader.endpoint(PE), reader.endpoint(PE.toUpperCase()), reader.endpoint(PE)]);
    expect(inv.calls).toBe(1);
  });

  it('stops a read at its own budget', async () => {
    const reader = new BudgetedReader(slowInventory(5_000), new AbortController().signal, 20);
    await expect(reader.endpoint(PE)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('stops every read when the run is aborted', async () => {
    const run = new AbortController();
    const reader = new BudgetedReader(slowInventory(5_000), run.signal, 10_000);
    const pending = reader.endpoint(PE);
    run.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(pending).rejects.toMatchObject({ message: 'deadline' });
  });
});
