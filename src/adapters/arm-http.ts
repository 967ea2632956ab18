import * as https from 'node:https';
import * as zlib from 'node:zlib';
import { cleanText } from '../probe/sanitize';
import {
  createHttpHeaders,
  RestError,
  type HttpClient,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

/** The largest ARM or Resource Graph response body read, before and after decompression. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The most pages one list may take; at ARM's smallest page sizes that is well over 100,000 resources. */
export const MAX_PAGES = 2000;

/** A response the probe refused to read to the end, or a request it refused to send. */
export const REFUSED_CODES = {
  bodyTooLarge: 'ResponseTooLarge',
  foreignOrigin: 'ForeignOrigin',
  pagingLoop: 'PagingLoop',
  resultTruncated: 'ResultTruncated',
} as const;

export interface GuardOptions {
  /** `https://host[:port]` of the configured ARM endpoint: the only origin the bearer token goes to. */
  readonly origin: string;
  /** Timeout of each request, every page and retry included. */
  readonly timeoutMs: number;
  /** The run's signal (aborted at its deadline), once the run has started. */
  readonly runSignal: () => AbortSignal | undefined;
}

/**
 * Added to every ARM SDK client after its authentication policy, so it sees every request as it goes on the wire,
 * including the pages the SDKs' paging helper fetches without the caller's options: each gets the step timeout
 * and the run's abort, and none leaves the configured ARM origin (nor its token with it).
 */
export function guardPolicy(opts: GuardOptions): PipelinePolicy {
  return {
    name: 'kvprobeGuard',
    async sendRequest(request: PipelineRequest, next): Promise<PipelineResponse> {
      let origin: string;
      try {
        origin = new URL(request.url).origin;
      } catch {
        origin = '';
      }
      if (origin !== opts.origin) {
        request.headers.delete('Authorization');
        throw new RestError(
          `refused to follow a link to ${origin || 'an invalid URL'}: only ${opts.origin}, the configured ARM endpoint, is sent the ARM token`,
          { code: REFUSED_CODES.foreignOrigin, request },
        );
      }
      if (!request.timeout || request.timeout > opts.timeoutMs) request.timeout = opts.timeoutMs;
      const run = opts.runSignal();
      if (run && request.abortSignal !== run)
        request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, run]) : run;
      const response = await next(request);
      if (response.status >= 400 && response.bodyAsText) {
        // The paging helper's errors keep the status and code but drop ARM's message: keep it where guard() looks.
        const message = armErrorMessage(response.bodyAsText);
        if (message) response.headers.set(ARM_MESSAGE_HEADER, cleanText(message));
      }
      return response;
    },
  };
}

/** A response header the guard policy adds: ARM's error message, cleaned, for errors that lose the body. */
export const ARM_MESSAGE_HEADER = 'x-kvprobe-arm-message';

function armErrorMessage(body: string): string | undefined {
  try {
    const e = (JSON.parse(body) as { error?: { message?: unknown } }).error;
    return typeof e?.message === 'string' ? e.message : undefined;
  } catch {
    return undefined;
  }
}

function abortError(): Error {
  const e = new Error('The operation was aborted.');
  e.name = 'AbortError';
  return e;
}

function requestBody(request: PipelineRequest): string | Buffer | undefined {
  const b = request.body;
  if (b === undefined || b === null) return undefined;
  if (typeof b === 'string' || Buffer.isBuffer(b)) return b;
  if (ArrayBuffer.isView(b)) return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  throw new RestError('unsupported request body for the bounded HTTP client', { code: 'UnsupportedBody', request });
}

/**
 * The HTTP client of every ARM SDK client: the SDKs' default one reads and inflates a whole body into memory, so a
 * gzip bomb or an endless body would take the process down. This one counts bytes on the wire and after inflating
 * and stops at {@link MAX_BODY_BYTES}; its timeout covers the whole exchange, body included, and a timeout is
 * reported as ETIMEDOUT, which the SDKs' retry policy retries (an abort is not retried).
 */
export function createBoundedHttpClient(
  opts: { maxBodyBytes?: number; agent?: https.Agent } = {},
): HttpClient & { close(): void } {
  const max = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const agent = opts.agent ?? new https.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    close: () => agent.destroy(),
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      return new Promise<PipelineResponse>((resolve, reject) => {
        if (request.abortSignal?.aborted) return reject(abortError());
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
        const cleanups: (() => void)[] = [];
        const finish = (error: Error | undefined, response?: PipelineResponse): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          for (const c of cleanups) c();
          if (error) {
            req.destroy();
            reject(error);
          } else if (response) resolve(response);
        };
        const url = new URL(request.url);
        if (url.protocol !== 'https:')
          return reject(
            new RestError(`refused to send the ARM token over ${url.protocol}`, { code: 'InsecureUrl', request }),
          );
        let body: string | Buffer | undefined;
        try {
          body = requestBody(request);
        } catch (error) {
          return reject(error);
        }
        const headers = request.headers.toJSON({ preserveCase: true });
        headers['Accept-Encoding'] = 'gzip, deflate';
        if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
        const req = https.request(
          {
            agent,
            hostname: url.hostname,
            port: url.port,
            path: `${url.pathname}${url.search}`,
            method: request.method,
            headers,
          },
          (res) => {
            const status = res.statusCode ?? 0;
            const responseHeaders = createHttpHeaders();
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
            const tooLarge = (what: string): RestError =>
              new RestError(`the response body ${what} passed the ${max} byte cap; the read was stopped`, {
                code: REFUSED_CODES.bodyTooLarge,
                statusCode: status,
                request,
              });
            const declared = Number(res.headers['content-length']);
            if (Number.isFinite(declared) && declared > max) return finish(tooLarge('(declared length)'));
            const encoding = String(res.headers['content-encoding'] ?? '')
              .trim()
              .toLowerCase();
            const inflate =
              encoding === 'gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : undefined;
            const chunks: Buffer[] = [];
            let raw = 0;
            let size = 0;
            const onData = (chunk: Buffer): void => {
              size += chunk.length;
              if (size > max) return finish(tooLarge('after decompression'));
              chunks.push(chunk);
            };
            const done = (): void =>
              finish(undefined, {
                status,
                headers: responseHeaders,
                request,
                bodyAsText: Buffer.concat(chunks).toString('utf8'),
              });
            const failed = (error: Error): void =>
              finish(
                new RestError(error.message, {
                  code: (error as { code?: string }).code ?? 'ECONNRESET',
                  statusCode: status,
                  request,
                }),
              );
            res.on('data', (chunk: Buffer) => {
              raw += chunk.length;
              if (raw > max) return finish(tooLarge('on the wire'));
              if (inflate) inflate.write(chunk);
              else onData(chunk);
            });
            res.on('error', failed);
            res.on('aborted', () => failed(new Error('the connection closed before the body ended')));
            if (inflate) {
              inflate.on('data', onData);
              inflate.on('error', failed);
              inflate.on('end', done);
              res.on('end', () => inflate.end());
              cleanups.push(() => inflate.destroy());
            } else res.on('end', done);
          },
        );
        req.on('error', (error: Error & { code?: string }) =>
          finish(new RestError(error.message, { code: error.code ?? 'ECONNRESET', request })),
        );
        if (request.timeout > 0) {
          timer = setTimeout(
            () =>
              finish(new RestError(`no complete answer within ${request.timeout} ms`, { code: 'ETIMEDOUT', request })),
            request.timeout,
          );
        }
        const signal = request.abortSignal;
        if (signal) {
          const onAbort = (): void => finish(abortError());
          signal.addEventListener('abort', onAbort, { once: true });
          cleanups.push(() => signal.removeEventListener('abort', onAbort));
        }
        req.end(body);
      });
    },
  };
}

/**
 * The next links of one paged list: {@link NextLinks.follow} throws when a link repeats an earlier one, leaves the
 * configured origin, or the pages pass {@link MAX_PAGES}: a list that never ends would otherwise grow in memory until
 * the process dies.
 */
export class NextLinks {
  private readonly seen = new Set<string>();
  private count = 1;

  constructor(private readonly origin: string) {}

  follow(next: string): void {
    let nextOrigin: string;
    try {
      nextOrigin = new URL(next).origin;
    } catch {
      nextOrigin = '';
    }
    if (nextOrigin !== this.origin)
      throw new RestError(`a nextLink leaves ${this.origin} (to ${nextOrigin || 'an invalid URL'}); paging stopped`, {
        code: REFUSED_CODES.foreignOrigin,
      });
    if (this.seen.has(next))
      throw new RestError(`a nextLink repeats an earlier page after ${this.count} page(s); paging stopped`, {
        code: REFUSED_CODES.pagingLoop,
      });
    if (this.count >= MAX_PAGES)
      throw new RestError(`the list passed ${MAX_PAGES} pages; paging stopped`, { code: REFUSED_CODES.pagingLoop });
    this.seen.add(next);
    this.count++;
  }
}

/** Walks a paged list page by page (`byPage()` of the SDKs' iterators), its next links checked by {@link NextLinks}. */
export async function collectPages<T>(
  pages: AsyncIterable<T[] & { continuationToken?: string }>,
  origin: string,
  each: (item: T) => void,
): Promise<void> {
  const links = new NextLinks(origin);
  for await (const page of pages) {
    for (const item of page) each(item);
    const next = page.continuationToken;
    if (!next) return;
    links.follow(next);
  }
}
