import { TelemetryClient } from 'applicationinsights';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { createAppInsightsPublisher } from '../../src/adapters/app-insights';
import { newPrincipal, TokenAuthority } from '../lab/identity';
import { IngestionSink, silenceAzureMonitorRemoteConfig } from '../lab/ingestion-sink';
import type { LabPki } from '../lab/tls';
import { rawRequest, useLabPki } from './lab-fixtures';

const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
});

describe('Application Insights ingestion sink with the real SDK', () => {
  let sink: IngestionSink;

  beforeAll(async () => {
    sink = await IngestionSink.start({ pki });
  });

  afterAll(async () => {
    await sink.stop();
  });

  function newClient(): TelemetryClient {
    const client = new TelemetryClient(sink.connectionString(), { useGlobalProviders: false });
    // Retried batches would otherwise be written under os.tmpdir() and replayed into a later run's sink.
    client.config.enableUseDiskRetryCaching = false;
    return client;
  }

  it('receives availability results and events', async () => {
    // Without this the exporter would poll settings.sdk.monitor.azure.com 5-15 s after it is created.
    expect(silenceAzureMonitorRemoteConfig()).toBe(true);
    const client = newClient();
    client.trackAvailability({
      name: 'kv1',
      id: 'x',
      duration: 12,
      success: false,
      runLocation: 'loc',
      message: 'DnsDrift',
      properties: { vault: 'kv1' },
    });
    client.trackEvent({ name: 'KvProbeFinding', properties: { vault: 'kv1', finding: 'DnsDrift' } });
    await client.flush();
    await sink.waitFor(() => sink.availability().length === 1 && sink.events('KvProbeFinding').length === 1, 5000);
    await client.shutdown();

    expect(sink.availability()[0]).toMatchObject({
      name: 'kv1',
      id: 'x',
      success: false,
      runLocation: 'loc',
      message: 'DnsDrift',
      duration: '00:00:00.012',
      properties: { vault: 'kv1' },
    });
    expect(sink.events('KvProbeFinding')[0]).toMatchObject({ properties: { vault: 'kv1', finding: 'DnsDrift' } });
    expect(sink.envelopes[0]?.iKey).toBe('00000000-0000-0000-0000-000000000001');
    expect(sink.otherRequests).toEqual([]);
  });

  it('sees the production publisher (src/adapters/app-insights.ts, disk retry cache on) retry after a 503 with Retry-After', async () => {
    sink.envelopes.length = 0;
    const postsBefore = sink.posts;
    sink.failNext(1, 503);
    // A fresh iKey: the SDK's offline store is kept per key, so nothing retried here can reach another test's sink.
    const publisher = createAppInsightsPublisher(sink.connectionString(randomUUID()));
    publisher.publish({ availability: [], events: [{ name: 'AfterOutage', properties: { vault: 'kv1' } }] });
    const started = Date.now();
    expect(await publisher.flush(10_000)).toBe(true);
    await sink.waitFor(() => sink.events('AfterOutage').length === 1, 8000);
    expect(sink.posts - postsBefore).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('accepts gzip NDJSON posts and 404s anything else', async () => {
    const url = new URL(sink.url);
    const envelope = {
      name: 'Microsoft.ApplicationInsights.Event',
      time: new Date().toISOString(),
      iKey: 'k',
      data: { baseType: 'EventData', baseData: { ver: 2, name: 'Raw' } },
      ver: 1,
    };
    const body = gzipSync(`${JSON.stringify(envelope)}\n${JSON.stringify(envelope)}\n`);
    const res = await rawRequest({
      host: url.hostname,
      port: Number(url.port),
      path: '/v2/track',
      method: 'POST',
      ca: pki.caPem,
      body,
      headers: { 'Content-Encoding': 'gzip', 'Content-Type': 'application/x-json-stream' },
    });
    expect(JSON.parse(res.body)).toEqual({ itemsReceived: 2, itemsAccepted: 2, appId: null, errors: [] });
    expect(sink.events('Raw')).toHaveLength(2);

    const live = await rawRequest({
      host: url.hostname,
      port: Number(url.port),
      path: '/QuickPulseService.svc/ping?ikey=k',
      method: 'POST',
      ca: pki.caPem,
      body: '{}',
    });
    expect(live.status).toBe(404);
    expect(sink.otherRequests.at(-1)).toMatchObject({ method: 'POST', path: '/QuickPulseService.svc/ping' });
  });
});

describe('Application Insights ingestion sink: as strict as Breeze', () => {
  const IKEY = '11111111-2222-4333-8444-555555555555';
  const authority = new TokenAuthority();
  const publisher = newPrincipal('publisher');
  const stranger = newPrincipal('no role on the resource');
  let sink: IngestionSink;

  beforeAll(async () => {
    sink = await IngestionSink.start({ pki, iKey: IKEY, entra: { authority, publishers: [publisher] } });
  });
  afterAll(() => sink.stop());

  const envelope = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    ver: 1,
    name: 'Microsoft.ApplicationInsights.Event',
    time: new Date().toISOString(),
    iKey: IKEY,
    data: { baseType: 'EventData', baseData: { ver: 2, name: 'Strict' } },
    ...over,
  });
  const post = async (
    items: unknown[],
    token?: string,
  ): Promise<{
    status: number;
    body: { itemsAccepted: number; errors: { index: number; statusCode: number; message: string }[] };
  }> => {
    const url = new URL(sink.url);
    const res = await rawRequest({
      host: url.hostname,
      port: Number(url.port),
      path: '/v2.1/track',
      method: 'POST',
      ca: pki.caPem,
      body: JSON.stringify(items),
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    return { status: res.status, body: JSON.parse(res.body) as never };
  };

  it('takes only Entra tokens for the monitoring audience, from a principal allowed to publish', async () => {
    expect((await post([envelope()])).status).toBe(401);
    expect(
      (await post([envelope()], authority.issue(publisher, 'https://management.azure.com/', 3600, 'static').token))
        .status,
    ).toBe(401);
    expect(
      (await post([envelope()], authority.issue(stranger, 'https://monitor.azure.com', 3600, 'static').token)).status,
    ).toBe(403);
    const ok = await post([envelope()], authority.issue(publisher, 'https://monitor.azure.com', 3600, 'static').token);
    expect(ok).toMatchObject({ status: 200, body: { itemsAccepted: 1, errors: [] } });
    expect(sink.postLog.at(-1)).toMatchObject({
      status: 200,
      bearerFor: publisher.clientId,
      audience: 'https://monitor.azure.com',
    });
  });

  it('refuses items with another iKey, without a valid time, or with a bad ver, one by one (206)', async () => {
    const token = authority.issue(publisher, 'https://monitor.azure.com/', 3600, 'static').token;
    const before = sink.events('Strict').length;
    const res = await post(
      [
        envelope(),
        envelope({ iKey: '00000000-0000-0000-0000-000000000001' }),
        envelope({ time: undefined }),
        envelope({ time: new Date(Date.now() - 49 * 3600_000).toISOString() }),
        envelope({ ver: 'one' }),
        envelope({ data: { baseType: 'EventData', baseData: { name: 'Strict' } } }),
      ],
      token,
    );
    expect(res.status).toBe(206);
    expect(res.body.itemsAccepted).toBe(1);
    expect(res.body.errors.map((e) => [e.index, e.statusCode])).toEqual([
      [1, 400],
      [2, 400],
      [3, 400],
      [4, 400],
      [5, 400],
    ]);
    expect(res.body.errors[0]?.message).toContain('Invalid instrumentation key');
    expect(sink.events('Strict').length - before).toBe(1);
  });

  it('plays an outage: 503 and 429 with Retry-After, then refuses connections, then accepts', async () => {
    const token = authority.issue(publisher, 'https://monitor.azure.com', 3600, 'static').token;
    sink.outageSequence([
      { status: 503, retryAfterSeconds: 2 },
      { status: 429, retryAfterSeconds: 1 },
      { refuseMs: 300 },
    ]);
    const first = await post([envelope()], token);
    expect(first.status).toBe(503);
    const second = await post([envelope()], token);
    expect(second.status).toBe(429);
    await new Promise((r) => setTimeout(r, 50));
    await expect(post([envelope()], token)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 400));
    expect((await post([envelope()], token)).status).toBe(200);
    expect(sink.refusals).toBe(1);
  });
});
