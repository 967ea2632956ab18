import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import { dirname, join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { LabPki } from './tls';
import { DEFAULT_HOST, SocketTracker, closeServer, hostPort, listen, readBody } from './net';

export interface Envelope {
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

export interface IngestionSinkOptions {
  pki: LabPki;
  host?: string;
  port?: number;
}

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

  private postCount = 0;
  private failures: { remaining: number; status: SinkFailureStatus } | undefined;
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly server: https.Server,
    private readonly tracker: SocketTracker,
    host: string,
    port: number,
  ) {
    this.url = `https://${hostPort(host, port)}/`;
  }

  /** Also silences the exporter's internet-bound config poller (see silenceAzureMonitorRemoteConfig). */
  static async start(opts: IngestionSinkOptions): Promise<IngestionSink> {
    silenceAzureMonitorRemoteConfig();
    const host = opts.host ?? DEFAULT_HOST;
    const { key, cert } = opts.pki.issue(['localhost', host]);
    const server = https.createServer({ key, cert });
    const tracker = new SocketTracker(server);
    const port = await listen(server, host, opts.port ?? 0);
    const sink = new IngestionSink(server, tracker, host, port);
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

  waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`IngestionSink.waitFor timed out after ${timeoutMs} ms (${this.envelopes.length} envelopes, ${this.postCount} posts)`));
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
      let done = false;
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
    const path = `/${(req.url ?? '/').split('?')[0]?.split('/').filter((s) => s.length > 0).join('/') ?? ''}`;
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

    let items: unknown[];
    try {
      items = decodeItems(body, req.headers['content-encoding']);
    } catch (err) {
      this.rejected.push({ path, error: String(err) });
      this.reply(res, 400, { itemsReceived: 0, itemsAccepted: 0, appId: null, errors: [{ index: 0, statusCode: 400, message: 'body is not JSON' }] });
      this.notify();
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
          errors: items.map((_, index) => ({ index, statusCode: status, message: `lab ingestion sink injected HTTP ${status}` })),
        },
        headers,
      );
      this.notify();
      return;
    }

    const errors: { index: number; statusCode: number; message: string }[] = [];
    items.forEach((item, index) => {
      if (isEnvelope(item)) this.envelopes.push(item);
      else errors.push({ index, statusCode: 400, message: 'item is not a telemetry envelope' });
    });
    const accepted = items.length - errors.length;
    this.reply(res, errors.length > 0 && accepted > 0 ? 206 : errors.length > 0 ? 400 : 200, {
      itemsReceived: items.length,
      itemsAccepted: accepted,
      appId: null,
      errors,
    });
    this.notify();
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(payload)), ...headers });
    res.end(payload);
  }
}
