import type { TokenCredential } from '@azure/core-auth';
import { createBoundedHttpClient } from './adapters/arm-http';
import { ArmClients } from './adapters/arm-clients';
import { ArmInventory } from './adapters/arm-inventory';
import { ArmNetworkReads } from './adapters/network-reads';
import { createCredential } from './adapters/credential';
import { createDataplaneTokens } from './adapters/dataplane-tokens';
import { NetworkObserver } from './adapters/network-observer';
import type { CloudProfile } from './probe/clouds';
import type { ConnectToRule } from './probe/connect-to';
import { ResourceGraphLists } from './adapters/resource-graph';
import { SubscriptionLister } from './adapters/subscriptions';
import { ReadableScopeInventory, type ScopeChoice } from './probe/readable-scope';
import { BatchedInventory, type SnapshotCache } from './probe/batched-inventory';
import type { Inventory } from './probe/inventory';
import { PER_VAULT_THRESHOLD, type InventorySetting, type ProbeSettings } from './config';
import type { ProbeDeps } from './probe/pipeline';
import type { NetworkReads } from './probe/estate';

/** The run's deps, and the estate map's bulk network reads (`kvprobe map`, the estate pass). */
export type EngineDeps = ProbeDeps & { readonly network: NetworkReads };

// Lives in config (which the CLI loads without the SDKs); re-exported where it has always been.
export { PER_VAULT_THRESHOLD };

export interface EngineOptions {
  /** Where the expected state comes from. auto: per-vault reads for a few named vaults, batched lists otherwise. */
  readonly inventory?: InventorySetting;
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
  /**
   * No scope was given: probe every subscription the identity can read. The run lists them first, then reads
   * them with the cheaper inventory (unless `inventory` names one); `onScope` hears what was chosen.
   */
  readonly readableScope?: { readonly onScope?: (choice: ScopeChoice) => void };
}

/** The deps for what the flags or the settings decided. */
export function probeDepsFor(
  s: ProbeSettings,
  env: Readonly<Record<string, string | undefined>>,
  extra: { cache?: SnapshotCache; targetCount?: number; readableScope?: EngineOptions['readableScope'] } = {},
): EngineDeps {
  return createProbeDeps({
    ...(extra.readableScope ? { readableScope: extra.readableScope } : {}),
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
export function createProbeDeps(options: EngineOptions): EngineDeps {
  const credential = options.credential ?? createCredential(options.env);
  // One bounded HTTP client for every ARM SDK client of this run, and the run's signal once it starts.
  const httpClient = createBoundedHttpClient();
  let run: AbortSignal | undefined;
  const runSignal = (): AbortSignal | undefined => run;
  const arm = new ArmInventory({
    credential,
    cloud: options.cloud,
    requestTimeoutMs: options.timeoutMs,
    httpClient,
    runSignal,
  });
  const managementGroups = options.managementGroups ?? [];
  let kind = options.inventory ?? 'auto';
  if (kind === 'auto') {
    if (managementGroups.length > 0) kind = 'resource-graph';
    else
      kind =
        (options.targetCount ?? 0) > 0 && (options.targetCount ?? 0) <= PER_VAULT_THRESHOLD ? 'per-vault' : 'batched';
  }
  const build = (k: InventorySetting, subscriptions: readonly string[]): Inventory =>
    k === 'per-vault'
      ? arm
      : k === 'resource-graph'
        ? new BatchedInventory(
            'resource-graph',
            new ResourceGraphLists({
              credential,
              cloud: options.cloud,
              subscriptions,
              managementGroups,
              requestTimeoutMs: options.timeoutMs,
              httpClient,
              runSignal,
            }),
            arm,
            options.cache,
          )
        : new BatchedInventory('batched', arm, arm, options.cache);
  // A static ARM token (KVPROBE_ACCESS_TOKEN) is no data-plane token: the data plane then asks its own chain.
  const sharesChain = !options.env['KVPROBE_ACCESS_TOKEN']?.trim();
  const readable = options.readableScope;
  const inventory: Inventory = readable
    ? new ReadableScopeInventory(
        new SubscriptionLister({ credential, cloud: options.cloud, requestTimeoutMs: options.timeoutMs }),
        (k, subscriptions) => build(k, subscriptions),
        readable.onScope,
        options.inventory === 'batched' || options.inventory === 'resource-graph' ? options.inventory : undefined,
      )
    : build(kind, options.subscriptions ?? []);
  const network = new ArmNetworkReads(
    new ArmClients({ credential, cloud: options.cloud, requestTimeoutMs: options.timeoutMs, httpClient, runSignal }),
    inventory,
  );
  return {
    inventory,
    network,
    // Batched and Resource Graph inventories read thousands of vaults in a handful of requests: one zone group read
    // per endpoint would undo that, so they read zone groups only where resolution drifted. The readable scope
    // always builds one of those two.
    zoneGroupPolicy: readable || kind !== 'per-vault' ? 'on-drift' : 'always',
    dataplaneTokens: createDataplaneTokens(options.env, sharesChain ? credential : undefined),
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
