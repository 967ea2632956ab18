import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import type { DnsResolverManagementClient } from '@azure/arm-dnsresolver';
import type { TokenCredential } from '@azure/core-auth';
import type { CloudProfile } from '../probe/clouds';
import type { Pipeline } from '@azure/core-rest-pipeline';
import { createBoundedHttpClient, guardPolicy } from './arm-http';
import { rawGet, type ListSource, type SdkPage } from './arm-lists';

/**
 * @azure/arm-dnsresolver is required at the first ruleset or resolver read, not when this module loads: a run that
 * reads none (no VNet given, no hub resolver) never loads it.
 */
function dnsResolverSdk(): typeof import('@azure/arm-dnsresolver') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@azure/arm-dnsresolver') as typeof import('@azure/arm-dnsresolver');
}

export interface ArmInventoryOptions {
  readonly credential: TokenCredential;
  readonly cloud: CloudProfile;
  /** Retries of throttled (429, honouring Retry-After) and transient failures. */
  readonly maxRetries?: number;
  /** Timeout of each HTTP request (each page of a list, each retry), not of a whole paged list. */
  readonly requestTimeoutMs?: number;
  /** The HTTP client of every SDK client (bounded bodies); shared with Resource Graph by the composition root. */
  readonly httpClient?: ReturnType<typeof createBoundedHttpClient>;
  /** The run's signal, once a run has started: every request, every page included, ends with it. */
  readonly runSignal?: () => AbortSignal | undefined;
}

/** The ARM SDK clients, one per SDK and subscription, each with the probe's bounded HTTP client and guard policy. */
export class ArmClients {
  private readonly keyVault = new Map<string, KeyVaultManagementClient>();
  private readonly network = new Map<string, NetworkManagementClient>();
  private readonly privateDns = new Map<string, PrivateDnsManagementClient>();
  private readonly dnsResolver = new Map<string, DnsResolverManagementClient>();

  private readonly http: ReturnType<typeof createBoundedHttpClient>;
  /** The configured ARM origin: paging never leaves it. */
  readonly origin: string;

  constructor(readonly options: ArmInventoryOptions) {
    this.http = options.httpClient ?? createBoundedHttpClient();
    this.origin = new URL(options.cloud.armEndpoint).origin;
  }

  /** Per-operation options: the caller's signal, and a timeout on every request the operation sends. */
  op(signal: AbortSignal): { abortSignal: AbortSignal; requestOptions?: { timeout: number } } {
    return {
      abortSignal: signal,
      ...(this.options.requestTimeoutMs ? { requestOptions: { timeout: this.options.requestTimeoutMs } } : {}),
    };
  }

  /** A paged list of `client` for readList (arm-lists.ts): its SDK pages, and the same pages read raw. */
  list<T>(
    client: { readonly pipeline: Pipeline },
    signal: AbortSignal,
    pages: (options: ReturnType<ArmClients['op']> & { onResponse: (raw: { request: { url: string } }) => void }) => {
      byPage(): AsyncIterable<SdkPage<T>>;
    },
  ): ListSource<T> {
    return {
      pages: (onResponse) => pages({ ...this.op(signal), onResponse }).byPage(),
      raw: (url) => rawGet(client.pipeline, this.http, url, signal, this.options.requestTimeoutMs),
    };
  }

  private clientOptions(): ConstructorParameters<typeof KeyVaultManagementClient>[2] & object {
    const endpoint = this.options.cloud.armEndpoint;
    return {
      endpoint,
      httpClient: this.http,
      additionalPolicies: [
        {
          policy: guardPolicy({
            origin: this.origin,
            timeoutMs: this.options.requestTimeoutMs ?? 30_000,
            runSignal: this.options.runSignal ?? (() => undefined),
          }),
          position: 'perRetry',
        },
      ],
      // Ask for the selected cloud's ARM audience explicitly: some clients default to the public cloud's.
      credentials: { scopes: [`${endpoint}/.default`] },
      retryOptions: { maxRetries: this.options.maxRetries ?? 3 },
      userAgentOptions: { userAgentPrefix: 'kv-privatelink-probe' },
    };
  }

  /** One client per SDK and subscription, made on first use. */
  private client<C>(cache: Map<string, C>, subscriptionId: string, make: (sub: string) => C): C {
    let c = cache.get(subscriptionId);
    if (!c) {
      c = make(subscriptionId);
      cache.set(subscriptionId, c);
    }
    return c;
  }

  kv(subscriptionId: string): KeyVaultManagementClient {
    return this.client(
      this.keyVault,
      subscriptionId,
      (sub) => new KeyVaultManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  net(subscriptionId: string): NetworkManagementClient {
    return this.client(
      this.network,
      subscriptionId,
      (sub) => new NetworkManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  dns(subscriptionId: string): PrivateDnsManagementClient {
    return this.client(
      this.privateDns,
      subscriptionId,
      (sub) => new PrivateDnsManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  resolver(subscriptionId: string): DnsResolverManagementClient {
    return this.client(
      this.dnsResolver,
      subscriptionId,
      (sub) => new (dnsResolverSdk().DnsResolverManagementClient)(this.options.credential, sub, this.clientOptions()),
    );
  }
}
