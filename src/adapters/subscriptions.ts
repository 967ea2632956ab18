import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { CloudProfile } from '../probe/clouds';
import { InventoryError } from '../probe/inventory';
import type { SubscriptionRecord } from '../probe/readable-scope';
import { armError } from './arm-inventory';

/** The api-version of `GET /subscriptions` (Microsoft.Resources, SubscriptionClient). */
export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

/** A page can be followed at most this many times: a nextLink that loops must not keep a run going. */
const MAX_PAGES = 1000;

/** One element of `value[]` of `GET /subscriptions`, as the REST API sends it. */
export function mapSubscriptionWire(wire: Readonly<Record<string, unknown>>): SubscriptionRecord | undefined {
  const id =
    typeof wire['subscriptionId'] === 'string'
      ? wire['subscriptionId']
      : typeof wire['id'] === 'string'
        ? wire['id'].split('/').pop()
        : undefined;
  if (!id) return undefined;
  return {
    subscriptionId: id.toLowerCase(),
    displayName: typeof wire['displayName'] === 'string' ? wire['displayName'] : id,
    state: typeof wire['state'] === 'string' ? wire['state'] : 'Unknown',
    tenantId: typeof wire['tenantId'] === 'string' ? wire['tenantId'] : undefined,
  };
}

export interface SubscriptionListerOptions {
  readonly credential: TokenCredential;
  readonly cloud: CloudProfile;
  /** Timeout of each page's request. */
  readonly requestTimeoutMs?: number;
}

/**
 * `GET /subscriptions`: every subscription the identity can read (any role on it, or on a management group above
 * it), paged with nextLink. There is no Subscriptions SDK among the dependencies; the request goes through
 * @azure/core-rest-pipeline with the same policies the ARM SDKs use (bearer token for the cloud's audience, retries
 * of 429 and 5xx honouring Retry-After, https only).
 */
export class SubscriptionLister {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient;
  /** Requests sent: the list costs one per page. */
  requests = 0;

  constructor(private readonly options: SubscriptionListerOptions) {
    this.pipeline = createPipelineFromOptions({
      retryOptions: { maxRetries: 3 },
      userAgentOptions: { userAgentPrefix: 'kv-privatelink-probe' },
    });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential: options.credential,
        scopes: `${options.cloud.armEndpoint}/.default`,
      }),
    );
    this.http = createDefaultHttpClient();
  }

  async listSubscriptions(signal: AbortSignal): Promise<SubscriptionRecord[]> {
    const out: SubscriptionRecord[] = [];
    const endpoint = this.options.cloud.armEndpoint.replace(/\/+$/, '');
    let url: string | undefined = `${endpoint}/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`;
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES)
        throw new InventoryError(
          `the subscription list did not end after ${MAX_PAGES} pages`,
          'list subscriptions',
          undefined,
          undefined,
          'PagingLoop',
        );
      const next: string = url;
      // Only follow nextLinks on the same ARM endpoint: a link elsewhere would take the bearer token with it.
      if (new URL(next).origin !== new URL(endpoint).origin) {
        throw new InventoryError(
          `nextLink points away from ${endpoint}: ${new URL(next).origin}`,
          'list subscriptions',
          undefined,
          undefined,
          'ForeignNextLink',
        );
      }
      const request = createPipelineRequest({
        url: next,
        method: 'GET',
        abortSignal: signal,
        ...(this.options.requestTimeoutMs ? { timeout: this.options.requestTimeoutMs } : {}),
      });
      let status: number;
      let body: string | undefined;
      try {
        this.requests++;
        const response = await this.pipeline.sendRequest(this.http, request);
        status = response.status;
        body = response.bodyAsText ?? undefined;
      } catch (error) {
        if (isRestError(error))
          throw new InventoryError(
            error.message.split('\n')[0] ?? 'request failed',
            'list subscriptions',
            undefined,
            error.statusCode,
            error.code,
          );
        throw error;
      }
      if (status !== 200) {
        const e = armError(body);
        throw new InventoryError(
          (e?.message ?? `HTTP ${status}`).slice(0, 500),
          'list subscriptions',
          undefined,
          status,
          e?.code,
        );
      }
      let parsed: { value?: unknown; nextLink?: unknown };
      try {
        parsed = JSON.parse(body ?? '') as { value?: unknown; nextLink?: unknown };
      } catch {
        throw new InventoryError(
          'the subscription list is not JSON',
          'list subscriptions',
          undefined,
          status,
          'InvalidResponse',
        );
      }
      for (const item of Array.isArray(parsed.value) ? parsed.value : []) {
        const s = item && typeof item === 'object' ? mapSubscriptionWire(item as Record<string, unknown>) : undefined;
        if (s) out.push(s);
      }
      url = typeof parsed.nextLink === 'string' && parsed.nextLink ? parsed.nextLink : undefined;
    }
    return out;
  }
}
