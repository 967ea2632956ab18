import type { TokenCredential } from '@azure/core-auth';
import { createBoundedHttpClient } from './adapters/arm-http';
import { ArmInventory } from './adapters/arm-inventory';
import { createCredential } from './adapters/credential';
import { NetworkObserver } from './adapters/network-observer';
import type { CloudProfile } from './probe/clouds';
import type { ConnectToRule } from './probe/connect-to';
import { ResourceGraphLists } from './adapters/resource-graph';
import { BatchedInventory, type SnapshotCache } from './probe/batched-inventory';
import type { Inventory } from './probe/inventory';
import type { ProbeSettings } from './config';
import type { ProbeDeps } from './probe/pipeline';

/** Where the expected state comes from. auto: per-vault reads for a few named vaults, batched lists otherwise. */
export type InventoryKind = 'auto' | 'batched' | 'per-vault' | 'resource-graph';
export const INVENTORY_KINDS: readonly InventoryKind[] = ['auto', 'batched', 'per-vault', 'resource-graph'];

/** Up to this many named vaults, reading each is cheaper than listing whole subscriptions. */
export const PER_VAULT_THRESHOLD = 5;

export interface EngineOptions {
  readonly inventory?: InventoryKind;
  /** For auto, and for Resource Graph's scope. */
  readonly subscriptions?: readonly string[];
  readonly managementGroups?: readonly string[];
  readonly targetCount?: number;
  /** Lists kept across runs, used when ARM throttles. */
  readonly cache?: SnapshotCache;
  readonly cloud: CloudProfile;
  readonly dnsServers: readonly string[];
  readonly connectTo: readonly ConnectToRule[];
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly credential?: TokenCredential;
}

/** The deps for what the flags or the settings decided. */
export function probeDepsFor(
  s: ProbeSettings,
  env: Readonly<Record<string, string | undefined>>,
  extra: { cache?: SnapshotCache; targetCount?: number } = {},
): ProbeDeps {
  return createProbeDeps({
    inventory: s.inventory,
    subscriptions: s.subscriptions,
    managementGroups: s.managementGroups,
    targetCount: extra.targetCount ?? s.targets.length,
    ...(extra.cache ? { cache: extra.cache } : {}),
    cloud: s.cloud,
    dnsServers: s.dnsServers,
    connectTo: s.connectTo,
    timeoutMs: s.timeoutMs,
    env,
  });
}

/** The composition root shared by the CLI and the triggers: real ARM, real DNS, real TLS. */
export function createProbeDeps(options: EngineOptions): ProbeDeps {
  const credential = options.credential ?? createCredential(options.env as NodeJS.ProcessEnv);
  // One bounded HTTP client for every ARM SDK client of this run, and the run's signal once it starts.
  const httpClient = createBoundedHttpClient();
  let run: AbortSignal | undefined;
  const runSignal = (): AbortSignal | undefined => run;
  const arm = new ArmInventory({ credential, cloud: options.cloud, requestTimeoutMs: options.timeoutMs, httpClient, runSignal });
  const managementGroups = options.managementGroups ?? [];
  let kind = options.inventory ?? 'auto';
  if (kind === 'auto') {
    if (managementGroups.length > 0) kind = 'resource-graph';
    else kind = (options.targetCount ?? 0) > 0 && (options.targetCount ?? 0) <= PER_VAULT_THRESHOLD ? 'per-vault' : 'batched';
  }
  const inventory: Inventory =
    kind === 'per-vault'
      ? arm
      : kind === 'resource-graph'
        ? new BatchedInventory(
            'resource-graph',
            new ResourceGraphLists({ credential, cloud: options.cloud, subscriptions: options.subscriptions ?? [], managementGroups, requestTimeoutMs: options.timeoutMs, httpClient, runSignal }),
            arm,
            options.cache,
          )
        : new BatchedInventory('batched', arm, arm, options.cache);
  return {
    inventory,
    bindRun: (signal) => {
      run = signal;
    },
    observer: new NetworkObserver({
      dnsServers: options.dnsServers,
      connectTo: options.connectTo,
      timeoutMs: options.timeoutMs,
      env: options.env,
    }),
  };
}
