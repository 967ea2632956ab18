import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import type { SubscriptionLists } from '../probe/batched-inventory';
import type { CloudProfile } from '../probe/clouds';
import { InventoryError } from '../probe/inventory';
import type { NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../probe/types';
import { createBoundedHttpClient, guardPolicy, MAX_PAGES, REFUSED_CODES } from './arm-http';
import { mapNetworkInterfaceWire, mapPrivateEndpointWire, mapVaultWire } from './arm-wire-mappers';
import {
  RESOURCE_GRAPH_PAGE_SIZE,
  RESOURCE_GRAPH_QUERIES,
  type ResourceGraphQueryName,
} from './resource-graph-queries';

export interface ResourceGraphOptions {
  readonly credential: TokenCredential;
  readonly cloud: CloudProfile;
  readonly subscriptions: readonly string[];
  readonly managementGroups: readonly string[];
  /** Timeout of each query request. */
  readonly requestTimeoutMs?: number;
  readonly httpClient?: ReturnType<typeof createBoundedHttpClient>;
  /** The run's signal, once a run has started. */
  readonly runSignal?: () => AbortSignal | undefined;
}

type Row = Record<string, unknown>;

/** @azure/arm-resourcegraph is required when a Resource Graph inventory is made, not when the engine loads. */
function resourceGraphSdk(): typeof import('@azure/arm-resourcegraph') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@azure/arm-resourcegraph') as typeof import('@azure/arm-resourcegraph');
}

/** `hh:mm:ss` (x-ms-user-quota-resets-after) in milliseconds. */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value ?? '');
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The inventory as four Resource Graph queries (vaults, Managed HSMs, private endpoints, NICs) over the whole scope (subscriptions or management groups), each
 * paged with $skipToken. Between pages it honours the per-user quota (about 15 queries per 5 seconds): when
 * x-ms-user-quota-remaining reaches 0 it waits for x-ms-user-quota-resets-after.
 */
export class ResourceGraphLists implements SubscriptionLists {
  private readonly client: ResourceGraphClient;
  private readonly results = new Map<ResourceGraphQueryName, Promise<Row[]>>();

  constructor(private readonly options: ResourceGraphOptions) {
    const endpoint = options.cloud.armEndpoint;
    this.client = new (resourceGraphSdk().ResourceGraphClient)(options.credential, {
      endpoint,
      credentials: { scopes: [`${endpoint}/.default`] },
      retryOptions: { maxRetries: 3 },
      userAgentOptions: { userAgentPrefix: 'kv-privatelink-probe' },
      httpClient: options.httpClient ?? createBoundedHttpClient(),
      additionalPolicies: [
        {
          policy: guardPolicy({
            origin: new URL(endpoint).origin,
            timeoutMs: options.requestTimeoutMs ?? 30_000,
            runSignal: options.runSignal ?? (() => undefined),
          }),
          position: 'perRetry',
        },
      ],
    });
  }

  private run(name: ResourceGraphQueryName, signal: AbortSignal): Promise<Row[]> {
    let p = this.results.get(name);
    if (!p) {
      p = this.page(name, signal);
      this.results.set(name, p);
    }
    return p;
  }

  private async page(name: ResourceGraphQueryName, signal: AbortSignal): Promise<Row[]> {
    const rows: Row[] = [];
    let skipToken: string | undefined;
    const seen = new Set<string>();
    let pages = 0;
    do {
      // A $skipToken that repeats, or a query that never ends, would grow `rows` until the process dies.
      if (skipToken !== undefined && seen.has(skipToken)) {
        throw new InventoryError(
          `a $skipToken repeated after ${pages} page(s); paging stopped`,
          `resource graph query ${name}`,
          undefined,
          undefined,
          REFUSED_CODES.pagingLoop,
        );
      }
      if (++pages > MAX_PAGES)
        throw new InventoryError(
          `the query passed ${MAX_PAGES} pages; paging stopped`,
          `resource graph query ${name}`,
          undefined,
          undefined,
          REFUSED_CODES.pagingLoop,
        );
      if (skipToken !== undefined) seen.add(skipToken);
      let remaining: number | undefined;
      let resetsAfterMs: number | undefined;
      try {
        const response = await this.client.resources(
          {
            query: RESOURCE_GRAPH_QUERIES[name],
            ...(this.options.managementGroups.length > 0
              ? { managementGroups: [...this.options.managementGroups] }
              : { subscriptions: [...this.options.subscriptions] }),
            options: {
              top: RESOURCE_GRAPH_PAGE_SIZE,
              resultFormat: 'objectArray',
              ...(skipToken ? { skipToken } : {}),
            },
          },
          {
            abortSignal: signal,
            ...(this.options.requestTimeoutMs ? { requestOptions: { timeout: this.options.requestTimeoutMs } } : {}),
            onResponse: (raw) => {
              const q = raw.headers.get('x-ms-user-quota-remaining');
              remaining = q === undefined ? undefined : Number(q);
              resetsAfterMs = parseResetsAfter(raw.headers.get('x-ms-user-quota-resets-after'));
            },
          },
        );
        // Resource Graph cuts an answer it cannot page (resultTruncated "true", no $skipToken). A partial list would
        // make the missing vaults vanish from the run: a silent green. Fail the list instead.
        if (String(response.resultTruncated).toLowerCase() === 'true')
          throw new InventoryError(
            `Resource Graph truncated the answer (${response.count} of ${response.totalRecords} rows) and gave no $skipToken`,
            `resource graph query ${name}`,
            undefined,
            undefined,
            REFUSED_CODES.resultTruncated,
          );
        if (Array.isArray(response.data)) rows.push(...(response.data as Row[]));
        skipToken = typeof response.skipToken === 'string' && response.skipToken ? response.skipToken : undefined;
      } catch (error) {
        if (isRestError(error)) {
          throw new InventoryError(
            (error.message.split('\n')[0] ?? '').slice(0, 500),
            `resource graph query ${name}`,
            undefined,
            error.statusCode,
            error.code,
          );
        }
        throw error;
      }
      if (skipToken && remaining !== undefined && remaining <= 0) await sleep(resetsAfterMs ?? 5000, signal);
    } while (skipToken);
    return rows;
  }

  private async rowsOf(name: ResourceGraphQueryName, subscriptionId: string, signal: AbortSignal): Promise<Row[]> {
    const sub = subscriptionId.toLowerCase();
    return (await this.run(name, signal)).filter(
      (r) => (typeof r['subscriptionId'] === 'string' ? r['subscriptionId'] : '').toLowerCase() === sub,
    );
  }

  async listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]> {
    const [vaults, hsms] = await Promise.all([
      this.rowsOf('vaults', subscriptionId, signal),
      this.rowsOf('managedHsms', subscriptionId, signal),
    ]);
    return [
      ...vaults.map((r) => mapVaultWire(r, this.options.cloud.vaultSuffix)),
      ...hsms.map((r) => mapVaultWire(r, this.options.cloud.hsmSuffix, 'managedHsm')),
    ];
  }

  async listPrivateEndpoints(subscriptionId: string, signal: AbortSignal): Promise<PrivateEndpointRecord[]> {
    return (await this.rowsOf('privateEndpoints', subscriptionId, signal)).map(mapPrivateEndpointWire);
  }

  async listNetworkInterfaces(subscriptionId: string, signal: AbortSignal): Promise<NetworkInterfaceRecord[]> {
    return (await this.rowsOf('networkInterfaces', subscriptionId, signal)).map(mapNetworkInterfaceWire);
  }

  async scopeSubscriptions(signal: AbortSignal): Promise<string[]> {
    if (this.options.managementGroups.length === 0) return [...this.options.subscriptions];
    const rows = [...(await this.run('vaults', signal)), ...(await this.run('managedHsms', signal))];
    return [
      ...new Set(
        rows
          .map((r) => (typeof r['subscriptionId'] === 'string' ? r['subscriptionId'] : '').toLowerCase())
          .filter(Boolean),
      ),
    ];
  }
}
