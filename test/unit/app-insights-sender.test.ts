import { Agent } from 'node:https';
import {
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { INGESTION_REQUEST_TIMEOUT_MS, ingestionHttpClient, sdkOptions } from '../../src/adapters/app-insights';

/** An HttpClient that answers 200 and keeps the requests it was handed. */
function recording(): { client: HttpClient; seen: PipelineRequest[] } {
  const seen: PipelineRequest[] = [];
  return {
    seen,
    client: {
      sendRequest: (request) => {
        seen.push(request);
        return Promise.resolve({ request, status: 200, headers: createHttpHeaders() });
      },
    },
  };
}

const post = (extra: Partial<PipelineRequest> = {}): PipelineRequest =>
  Object.assign(createPipelineRequest({ url: 'https://127.0.0.1:9/v2.1/track', method: 'POST' }), extra);

describe('the exporter HTTP client (issue 11, item 13)', () => {
  it('bounds every ingestion request below the timer flush wait', async () => {
    expect(INGESTION_REQUEST_TIMEOUT_MS).toBeLessThan(15_000);
    const { client, seen } = recording();
    const sender = ingestionHttpClient(INGESTION_REQUEST_TIMEOUT_MS, client);
    await sender.sendRequest(post());
    await sender.sendRequest(post({ timeout: 60_000 }));
    await sender.sendRequest(post({ timeout: 2000 }));
    expect(seen.map((r) => r.timeout)).toEqual([INGESTION_REQUEST_TIMEOUT_MS, INGESTION_REQUEST_TIMEOUT_MS, 2000]);
  });

  it('uses its own agent (no keep-alive), but leaves an agent a proxy policy chose', async () => {
    const { client, seen } = recording();
    const sender = ingestionHttpClient(INGESTION_REQUEST_TIMEOUT_MS, client);
    const proxyAgent = new Agent();
    await sender.sendRequest(post());
    await sender.sendRequest(post({ agent: proxyAgent }));
    const own = seen[0]?.agent;
    expect(own).toBeInstanceOf(Agent);
    expect((own as Agent).options.keepAlive).toBe(false);
    expect(seen[1]?.agent).toBe(proxyAgent);
  });

  it('gives the SDK that client, and turns off every instrumentation and collector its options name', () => {
    const o = sdkOptions(
      'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:9/',
    );
    expect(o.azureMonitorExporterOptions?.httpClient).toBeDefined();
    expect(o.azureMonitorExporterOptions?.disableOfflineStorage).toBe(false);
    expect(
      Object.values(o.instrumentationOptions ?? {}).every((i) => (i as { enabled?: boolean }).enabled === false),
    ).toBe(true);
    expect(Object.keys(o.instrumentationOptions ?? {}).length).toBeGreaterThanOrEqual(9);
    expect([o.enableLiveMetrics, o.enableStandardMetrics, o.enableAutoCollectPerformance]).toEqual([
      false,
      false,
      false,
    ]);
  });
});
