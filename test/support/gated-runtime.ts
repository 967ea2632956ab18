import { readAppSettings } from '../../src/config';
import type { TriggerRuntime } from '../../src/functions/runtime';
import { emptyInventory } from './empty-inventory';

/**
 * A trigger runtime whose vault list waits on `gate()` and returns no vault: a run stays in progress until the test
 * lets it go. `lists()` counts the runs that reached the inventory. Nothing else of the probe is touched.
 */
export function gatedRuntime(
  env: Readonly<Record<string, string>>,
  gate: () => Promise<void>,
): { runtime: TriggerRuntime; lists: () => number } {
  let lists = 0;
  const unused = (): Promise<never> => Promise.reject(new Error('unused'));
  const runtime: TriggerRuntime = {
    settings: ({ requireScope }) => readAppSettings(env, { requireScope }),
    probeDeps: () => ({
      inventory: {
        ...emptyInventory(),
        listVaults: async () => {
          lists++;
          await gate();
          return [];
        },
        getVault: unused,
        getPrivateEndpoint: unused,
        getNetworkInterface: unused,
        listVirtualHubs: async () => [],
        listEffectiveConnectivityConfigurations: async () => [],
      },
      observer: {
        resolveOs: () => Promise.resolve({ addresses: [], durationMs: 0 }),
        resolveDns: () => Promise.resolve({ servers: [], cnames: [], addresses: [], durationMs: 0 }),
        probeDataplane: unused,
        proxyFor: () => undefined,
      },
    }),
    publisher: () => undefined,
  };
  return { runtime, lists: () => lists };
}
