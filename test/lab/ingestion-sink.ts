import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import { dirname, join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { LabPki } from './tls';
import type { LabPrincipal, TokenAuthority } from './identity';
import { DEFAULT_HOST, SocketTracker, closeServer, hostPort, listen, readBody } from './net';

export interface Envelope {
  ver?: number;
  name: string;
  time: string;
  iKey: string;
  tags?: Record<string, string>;
  data: { baseType: string; baseData: Record<string, unknown> };
}

export interface SinkOtherRequest {
  method: string;
  path: string;
  timestamp: number;
}

export type SinkFailureStatus = 500 | 503 | 429 | 408;

/** One step of an outage: answer the next track POST with a status, or refuse connections for a while. */
export type SinkOutageStep =
  { readonly status: SinkFailureStatus; readonly retryAfterSeconds?: number } | { readonly refuseMs: number };

export interface IngestionSinkOptions {
  pki: LabPki;
  host?: string;
  port?: number;
  /** The instrumentation key of the resource: items with another are rejected (400), as Breeze does. */
  iKey?: string;
  /**
   * Entra-only ingestion (local auth disabled): every POST must carry a bearer token this authority issued for
   * the monitoring audience (401 otherwise), to a principal in `publishers` (403 otherwise).
   */
  entra?: { readonly authority: TokenAuthority; readonly publishers: readonly LabPrincipal[] };
}

/** Audiences Application Insights ingestion accepts (the exporter asks for https://monitor.azure.com//.default). */
export const MONITOR_AUDIENCES = ['https://monitor.azure.com', 'https://monitor.azure.com/'];
/** Breeze refuses items stamped more than 48 hours ago. */
const MAX_ITEM_AGE_MS = 48 * 60 * 60 * 1000;
/** And items from too far in the future (lab assumption: 2 hours of clock skew). */
const MAX_ITEM_SKEW_MS = 2 * 60 * 60 * 1000;

interface Waiter {
  predicate: () => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const TRACK_PATHS = new Set(['/v2/track', '/v2.1/track']);
const DEFAULT_IKEY = '00000000-0000-0000-0000-000000000001';

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const data = v['data'];
  return typeof v['name'] === 'string' && typeof data === 'object' && data !== null;
}

function decodeItems(body: Buffer, encoding: string | undefined): unknown[] {
  const enc = (encoding ?? '').toLowerCase();
  const raw = enc.includes('gzip') ? gunzipSync(body) : enc.includes('deflate') ? inflateSync(body) : body;
  const text = raw.toString('utf8').trim();
  if (text.length === 0) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    // The classic SDKs send newline-delimited JSON rather than an array.
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map((line): unknown => JSON.parse(line));
  }
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;
let remoteConfigSilenced = false;

/**
 * The Azure Monitor exporter inside applicationinsights 3.x starts a "OneSettings" poller against
 * https://settings.sdk.monitor.azure.com 5-15 s after the first exporter is created, whatever the
 * statsbeat switches say, and nothing public turns it off. A lab process must not reach the internet,
 * so this replaces the poll with a no-op that asks to be called again in a day. It patches the module
 * instance the SDK itself loads (same path, same module cache) and is idempotent.
 *
 * @returns whether the poller was found and silenced.
 */
export function silenceAzureMonitorRemoteConfig(): boolean {
  if (remoteConfigSilenced) return true;
  let file: string;
  try {
    const appInsights = require.resolve('applicationinsights');
    const exporter = require.resolve('@azure/monitor-opentelemetry-exporter', { paths: [dirname(appInsights)] });
    file = join(dirname(exporter), '_configuration', 'configurationManager.js');
  } catch {
    return false;
  }
  if (!existsSync(file)) return false;
  // The SDK's own module instance is patched, so it is loaded by its resolved file, not imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod: unknown = require(file);
  const manager = (mod as { ConfigurationManager?: { prototype?: Record<string, unknown> } }).ConfigurationManager;
  const proto = manager?.prototype;
  if (!proto || typeof proto['getConfigurationAndRefreshInterval'] !== 'function') return false;
  proto['getConfigurationAndRefreshInterval'] = async (): Promise<number> => ONE_DAY_MS;
  remoteConfigSilenced = true;
  return true;
}

/**
 * Application Insights' ingestion ("Breeze") endpoint over HTTPS, so the real SDK can be pointed at it
 * with a connection string and the test can read back exactly what would have reached Azure Monitor.
 */
export class IngestionSink {
  readonly url: string;
  readonly envelopes: Envelope[] = [];
  readonly otherRequests: SinkOtherRequest[] = [];
  /** Bodies that could not be decoded, kept so a test can show what the SDK actually sent. */
  readonly rejected: { path: string; error: string }[] = [];
  /** Items refused one by one (wrong iKey, bad time or ver), with the reason. */
  readonly refusedItems: { index: number; statusCode: number; message: string }[] = [];
  /** Every track POST: when, what it was answered, and whose token it carried (client ID). */
  readonly postLog: { timestamp: number; status: number; items: number; bearerFor?: string; audience?: string }[] = [];
  /** Every envelope received in a track POST, whatever the answer: what the SDK offered to ingestion. */
  readonly offered: Envelope[] = [];
  /** Connection attempts refused while the sink was down (counted by the listener's absence, so: outages). */
  refusals = 0;
  /**
   * issue 11: a hung ingestion endpoint. While set, every track POST is read and logged (status 0) and never
   * answered, so the sender's request stays pending on an open connection; stop() ends those connections.
   */
  holdPosts = false;

  private postCount = 0;
  private failures: { remaining: number; status: SinkFailureStatus } | undefined;
  private outage: SinkOutageStep[] = [];
  private readonly opts: IngestionSinkOptions;
  private readonly host: string;
  private readonly port: number;
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly server: https.Server,
    private readonly tracker: SocketTracker,
    host: string,
    port: number,
    opts: IngestionSinkOptions,
  ) {
    this.url = `https://${hostPort(host, port)}/`;
    this.opts = opts;
    this.host = host;
    this.port = port;
  }

  /** Also silences the exporter's internet-bound config poller (see silenceAzureMonitorRemoteConfig). */
  static async start(opts: IngestionSinkOptions): Promise<IngestionSink> {
    silenceAzureMonitorRemoteConfig();
    const host = opts.host ?? DEFAULT_HOST;
    const { key, cert } = opts.pki.issue(['localhost', host]);
    const server = https.createServer({ key, cert });
    const tracker = new SocketTracker(server);
    const port = await listen(server, host, opts.port ?? 0);
    const sink = new IngestionSink(server, tracker, host, port, opts);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sink.handle(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500);
          res.end();
        }
      });
    });
    return sink;
  }

  /** POSTs received on the track endpoints, failed ones included. */
  get posts(): number {
    return this.postCount;
  }

  connectionString(iKey = DEFAULT_IKEY): string {
    return `InstrumentationKey=${iKey};IngestionEndpoint=${this.url};LiveEndpoint=${this.url}`;
  }

  availability(): Record<string, unknown>[] {
    return this.envelopes.filter((e) => e.data.baseType === 'AvailabilityData').map((e) => e.data.baseData);
  }

  events(name?: string): Record<string, unknown>[] {
    return this.envelopes
      .filter((e) => e.data.baseType === 'EventData')
      .map((e) => e.data.baseData)
      .filter((d) => name === undefined || d['name'] === name);
  }

  /** Answers the next `n` track POSTs with `status` (and Retry-After for 429/503), without keeping their items. */
  failNext(n: number, status: SinkFailureStatus): void {
    this.failures = n > 0 ? { remaining: n, status } : undefined;
  }

  /**
   * An outage, step by step: each status step answers one track POST; a refusal step closes the listener (every
   * connection attempt is refused) and opens it again on the same port after `refuseMs`, then the next step
   * applies. When the steps run out the sink accepts again.
   */
  outageSequence(steps: readonly SinkOutageStep[]): void {
    this.outage = [...steps];
    this.advanceOutage();
  }

  private advanceOutage(): void {
    const step = this.outage[0];
    if (step && 'refuseMs' in step) {
      this.outage.shift();
      this.refusals += 1;
      const reopen = (): void => {
        this.server.listen(this.port, this.host, () => this.notify());
      };
      this.server.close();
      this.tracker.destroyAll();
      setTimeout(reopen, step.refuseMs).unref();
    }
  }

  waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(
              `IngestionSink.waitFor timed out after ${timeoutMs} ms (${this.envelopes.length} envelopes, ${this.postCount} posts)`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('IngestionSink stopped'));
    }
    this.waiters.clear();
    await closeServer(this.server, this.tracker);
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      let done: boolean;
      try {
        done = w.predicate();
      } catch (err) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (done) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve();
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = `/${
      (req.url ?? '/')
        .split('?')[0]
        ?.split('/')
        .filter((s) => s.length > 0)
        .join('/') ?? ''
    }`;
    if (req.method !== 'POST' || !TRACK_PATHS.has(path)) {
      req.resume();
      this.otherRequests.push({ method: req.method ?? 'GET', path, timestamp: Date.now() });
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': '9' });
      res.end('Not Found');
      this.notify();
      return;
    }
    this.postCount += 1;
    const body = await readBody(req);
    const log: IngestionSink['postLog'][number] = { timestamp: Date.now(), status: 0, items: 0 };
    this.postLog.push(log);
    if (this.holdPosts) {
      this.notify();
      return;
    }

    let items: unknown[];
    try {
      items = decodeItems(body, req.headers['content-encoding']);
      log.items = items.length;
      for (const item of items) if (isEnvelope(item)) this.offered.push(item);
    } catch (err) {
      this.rejected.push({ path, error: String(err) });
      this.reply(
        res,
        400,
        {
          itemsReceived: 0,
          itemsAccepted: 0,
          appId: null,
          errors: [{ index: 0, statusCode: 400, message: 'body is not JSON' }],
        },
        {},
        log,
      );
      this.notify();
      return;
    }

    const allRefused = (status: number, message: string, headers: Record<string, string> = {}): void => {
      this.reply(
        res,
        status,
        {
          itemsReceived: items.length,
          itemsAccepted: 0,
          appId: null,
          errors: items.map((_, index) => ({ index, statusCode: status, message })),
        },
        headers,
        log,
      );
      this.notify();
    };
    const entra = this.opts.entra;
    if (entra) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const token = match ? entra.authority.lookup(match[1] ?? '') : undefined;
      if (token) {
        log.bearerFor = token.principal.clientId;
        log.audience = token.audience;
      }
      if (!token || !MONITOR_AUDIENCES.includes(token.audience)) {
        allRefused(
          401,
          match
            ? 'The access token is invalid or was obtained for another audience.'
            : 'Authorization token is missing: this resource accepts only Microsoft Entra authenticated telemetry.',
        );
        return;
      }
      if (!entra.publishers.some((p) => p.objectId === token.principal.objectId)) {
        allRefused(
          403,
          `The principal ${token.principal.objectId} is not allowed to publish telemetry to this resource (Monitoring Metrics Publisher).`,
        );
        return;
      }
    }

    const step = this.outage[0];
    if (step && 'status' in step) {
      this.outage.shift();
      allRefused(
        step.status,
        `lab ingestion sink outage: HTTP ${step.status}`,
        step.retryAfterSeconds !== undefined ? { 'Retry-After': String(step.retryAfterSeconds) } : {},
      );
      // A refusal step right after a status step starts once this answer is on its way.
      res.once('finish', () => this.advanceOutage());
      return;
    }

    if (this.failures) {
      const { status } = this.failures;
      this.failures.remaining -= 1;
      if (this.failures.remaining <= 0) this.failures = undefined;
      const headers: Record<string, string> = status === 429 || status === 503 ? { 'Retry-After': '1' } : {};
      // Breeze lists each rejected item with its own status; the exporter uses that to decide what to retry.
      this.reply(
        res,
        status,
        {
          itemsReceived: items.length,
          itemsAccepted: 0,
          appId: null,
          errors: items.map((_, index) => ({
            index,
            statusCode: status,
            message: `lab ingestion sink injected HTTP ${status}`,
          })),
        },
        headers,
        log,
      );
      this.notify();
      return;
    }

    const errors: { index: number; statusCode: number; message: string }[] = [];
    items.forEach((item, index) => {
      const problem = this.itemProblem(item);
      if (problem === undefined && isEnvelope(item)) this.envelopes.push(item);
      else {
        const error = { index, statusCode: 400, message: problem ?? 'item is not a telemetry envelope' };
        errors.push(error);
        this.refusedItems.push(error);
      }
    });
    const accepted = items.length - errors.length;
    this.reply(
      res,
      errors.length > 0 && accepted > 0 ? 206 : errors.length > 0 ? 400 : 200,
      {
        itemsReceived: items.length,
        itemsAccepted: accepted,
        appId: null,
        errors,
      },
      {},
      log,
    );
    this.notify();
  }

  /** Why Breeze would refuse one item: wrong iKey, a missing or out-of-range time, a bad ver. */
  private itemProblem(item: unknown): string | undefined {
    if (!isEnvelope(item)) return 'item is not a telemetry envelope';
    if (this.opts.iKey !== undefined && item.iKey !== this.opts.iKey)
      return `Invalid instrumentation key '${String(item.iKey)}'`;
    const t = typeof item.time === 'string' ? Date.parse(item.time) : Number.NaN;
    if (Number.isNaN(t))
      return `Field 'time' on type 'Envelope' is required and must be an ISO 8601 date: got ${JSON.stringify(item.time)}`;
    if (t < Date.now() - MAX_ITEM_AGE_MS) return `Item time ${item.time} is older than 48 hours`;
    if (t > Date.now() + MAX_ITEM_SKEW_MS) return `Item time ${item.time} is in the future`;
    if (item.ver !== undefined && (typeof item.ver !== 'number' || !Number.isInteger(item.ver) || item.ver < 1))
      return `Field 'ver' must be a positive integer: got ${JSON.stringify(item.ver)}`;
    const baseVer = item.data.baseData['ver'];
    if (typeof baseVer !== 'number' || baseVer !== 2)
      return `Field 'ver' of ${item.data.baseType} must be 2: got ${JSON.stringify(baseVer)}`;
    return undefined;
  }

  private reply(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    log?: { status: number },
  ): void {
    const payload = JSON.stringify(body);
    // The post's log entry gets its status now, not at 'finish': a waiter woken by this post may end the process.
    if (log) log.status = status;
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(payload)),
      ...headers,
    });
    res.end(payload);
  }
}
