import { HttpRequest, InvocationContext, type Timer } from '@azure/functions';
import type { TelemetryPublisher } from '../../src/adapters/app-insights';
import { ConfigError, readAppSettings, readFallbackSettings } from '../../src/config';
import { createHttpHandler } from '../../src/functions/probe-http';
import { createTimerHandler } from '../../src/functions/probe-timer';
import type { TriggerRuntime } from '../../src/functions/runtime';
import type { EventRecord } from '../../src/telemetry/records';

const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';
const CONNECTION = 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:9/';
const TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.static-secret';
const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    readAppSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
  }
  throw new Error('the settings were accepted');
}

/** A runtime over `env` whose probe must never run and whose publisher keeps what it was given. */
function recordingRuntime(env: Record<string, string>): { runtime: TriggerRuntime; events: EventRecord[] } {
  const events: EventRecord[] = [];
  const publisher: TelemetryPublisher = {
    publish: (t) => void events.push(...t.events),
    flush: () => Promise.resolve(true),
  };
  const runtime: TriggerRuntime = {
    settings: ({ requireScope }) => readAppSettings(env, { requireScope }),
    probeDeps: () => {
      throw new Error('no run may be made with refused settings');
    },
    publisher: (s) => (s.connectionString ? publisher : undefined),
    fallback: () => readFallbackSettings(env),
  };
  return { runtime, events };
}

describe('static tokens in the Functions app (issue 21)', () => {
  it.each(['KVPROBE_ACCESS_TOKEN', 'KVPROBE_DATAPLANE_TOKEN'])('refuses %s by name, without its value', (name) => {
    const e = refusal({ PROBE_SUBSCRIPTIONS: SUB, [name]: TOKEN });
    expect(e.problems).toEqual([
      `${name} is set (value not shown): the Functions app authenticates with its managed identity only (AZURE_CLIENT_ID); remove this app setting, static tokens are for the kvprobe CLI.`,
    ]);
    expect(JSON.stringify(e)).not.toContain('static-secret');
  });

  it('the timer makes no run: it logs the refusal and sends a heartbeat naming the setting', async () => {
    const { runtime, events } = recordingRuntime({
      PROBE_SUBSCRIPTIONS: SUB,
      PROBE_LOCATION: 'hub-weu',
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION,
      KVPROBE_DATAPLANE_TOKEN: TOKEN,
    });
    const logs: string[] = [];
    await createTimerHandler(runtime)(
      timer,
      new InvocationContext({ logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.name).toBe('KvProbeHeartbeat');
    expect(events[0]?.properties['location']).toBe('hub-weu');
    // heartbeat-missing.kql leaves out heartbeats of refused runs: the site still alerts as silent.
    expect(events[0]?.properties['trigger']).toBe('refused');
    expect(events[0]?.properties['configError']).toMatch(/^KVPROBE_DATAPLANE_TOKEN is set \(value not shown\)/);
    expect(events[0]?.measurements).toBeUndefined();
    expect(logs.some((l) => l.startsWith('error: kvprobe: no run: the settings are refused: KVPROBE_DATAPLANE'))).toBe(
      true,
    );
    expect(JSON.stringify({ events, logs })).not.toContain('static-secret');
  });

  it('the HTTP trigger answers 500 naming the setting, not its value', async () => {
    const { runtime } = recordingRuntime({ PROBE_SUBSCRIPTIONS: SUB, KVPROBE_ACCESS_TOKEN: TOKEN });
    const res = await createHttpHandler(runtime)(
      new HttpRequest({ method: 'GET', url: 'https://app.example/api/vaults/kv1/probe', params: { name: 'kv1' } }),
      new InvocationContext({ logHandler: () => undefined }),
    );
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.jsonBody)).toContain('KVPROBE_ACCESS_TOKEN is set (value not shown)');
    expect(JSON.stringify(res.jsonBody)).not.toContain('static-secret');
  });
});

describe('quiet configuration errors (issue 21)', () => {
  it.each([
    ['PROBE_ARM_ENDPOINT', 'https://probe:s3cret@arm:99999/', 's3cret'],
    ['PROBE_ARM_ENDPOINT', 'http://u:pw-secret@arm.example/', 'pw-secret'],
    ['PROBE_TIMEOUT_MS', 'secret-looking-9', 'secret-looking-9'],
    ['PROBE_VNET_ID', '/subscriptions/x?sig=abcdef', 'sig=abcdef'],
    ['PROBE_DNS_SERVERS', 'dns-secret.example', 'dns-secret'],
  ])('%s: the quiet problem names the setting and holds no part of the value', (name, value, secret) => {
    const e = refusal({ PROBE_SUBSCRIPTIONS: SUB, [name]: value });
    expect(e.quiet).toHaveLength(1);
    expect(e.quiet[0]).toContain(name);
    expect(e.quiet[0]).not.toContain(secret);
  });

  it('a 500 body for an unparseable endpoint with credentials holds neither them nor the value', async () => {
    const { runtime } = recordingRuntime({
      PROBE_SUBSCRIPTIONS: SUB,
      PROBE_ARM_ENDPOINT: 'https://probe:s3cret@arm:99999/',
    });
    const res = await createHttpHandler(runtime)(
      new HttpRequest({ method: 'GET', url: 'https://app.example/api/vaults/kv1/probe', params: { name: 'kv1' } }),
      new InvocationContext({ logHandler: () => undefined }),
    );
    expect(res.jsonBody).toEqual({
      error: {
        status: 500,
        message:
          'The probe is misconfigured: PROBE_ARM_ENDPOINT is not a URL (value not shown): use https://host[:port].',
      },
    });
  });
});
