import {
  createPipelineRequest,
  isRestError,
  RestError,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { NextLinks } from './arm-http';

/** One page of an SDK list, as `byPage()` yields it. */
export type SdkPage<T> = T[] & { continuationToken?: string };

/** A paged ARM list read through an SDK, and the same list's pages read raw. */
export interface ListSource<T> {
  /** The SDK's pages; `onResponse` goes into the operation's options (it sees the first page's raw response). */
  readonly pages: (onResponse: (raw: { request: { url: string } }) => void) => AsyncIterable<SdkPage<T>>;
  /** One page's JSON, read raw (no SDK deserializer) through the same client's pipeline. */
  readonly raw: (url: string) => Promise<unknown>;
}

const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

/**
 * Reads a paged list item by item. The SDKs' deserializers and our SDK-path mappers assume the documented shape: a
 * property of another kind in one resource (an array that is a string, an item that is a number) makes them throw,
 * and with them the whole page, and with the page every vault of the subscription. So a page that fails that way
 * (not an HTTP error, a refused link or an abort) is read again raw from its URL, and it and every page after it
 * are mapped item by item from ARM's JSON with `mapWire` (arm-wire-mappers.ts), which reads what has the documented
 * shape and marks what has not, so no item vanishes. `map` and `mapWire` return the records an item gives (none:
 * not wanted).
 */
export async function readList<T, R>(
  source: ListSource<T>,
  origin: string,
  map: (item: T) => readonly R[],
  mapWire: (row: unknown) => readonly R[],
): Promise<R[]> {
  const out: R[] = [];
  const links = new NextLinks(origin);
  let pageUrl: string | undefined;
  try {
    for await (const page of source.pages((raw) => void (pageUrl ??= raw.request.url))) {
      // A page is taken whole or not at all: if one item cannot be mapped, the whole page is read again raw.
      out.push(...page.flatMap(map));
      const next = page.continuationToken;
      if (!next) return out;
      links.follow(next);
      pageUrl = next;
    }
    return out;
  } catch (error) {
    if (isRestError(error) || isAbort(error) || pageUrl === undefined) throw error;
  }
  for (let url: string | undefined = pageUrl; url !== undefined;) {
    const body = await source.raw(url);
    const page = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const value = page['value'];
    if (!Array.isArray(value))
      throw new RestError(`a list page (${url}) has no "value" array; the list could not be read`, {
        code: 'InvalidListPage',
      });
    out.push(...value.flatMap(mapWire));
    const next = page['nextLink'];
    url = typeof next === 'string' && next ? next : undefined;
    if (url !== undefined) links.follow(url);
  }
  return out;
}

/** GETs one ARM URL through an SDK client's pipeline (its token, retries and guard policy) and parses the JSON. */
export async function rawGet(
  pipeline: Pipeline,
  http: HttpClient,
  url: string,
  signal: AbortSignal,
  timeoutMs: number | undefined,
): Promise<unknown> {
  const request = createPipelineRequest({ url, method: 'GET', abortSignal: signal, timeout: timeoutMs ?? 0 });
  request.headers.set('Accept', 'application/json');
  const response = await pipeline.sendRequest(http, request);
  if (response.status !== 200)
    throw new RestError(`ARM answered ${response.status} to a list page`, {
      statusCode: response.status,
      request,
      response,
    });
  try {
    return JSON.parse(response.bodyAsText ?? '') as unknown;
  } catch {
    throw new RestError('a list page is not JSON', { code: 'InvalidJson', statusCode: response.status, request });
  }
}
