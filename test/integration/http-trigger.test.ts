import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { createHttpHandler } from '../../src/functions/probe-http';
import { gatedRuntime } from '../support/gated-runtime';
import type { TriggerRuntime } from '../../src/functions/runtime';
import { HTTP_DEADLINE_MAX_MS, readAppSettings } from '../../src/config';
import type { LabRun } from '../lab/run';
import { SUB_APP } from '../lab/scenario';
import { describeWhere, missingNamespaces } from '../support/environment';

const RUNNER = join(resolve(__dirname, '..', '..'), 'dist', 'test', 'lab', 'run.js');

/** The lab runner's whole outcome for the HTTP entry (namespace mode). */
function labHttp(scenario: string, vault: string, extra: readonly string[] = []): LabRun {
  const args = [RUNNER, '--scenario', scenario, '--entry', 'http', '--mode', 'namespace', '--vault', vault, ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 110_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`runner exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as LabRun;
}

function http(scenario: string, vault: string, subscription?: string): NonNullable<LabRun['http']> {
  // The mode is asked for, not chosen: the runner must not fall back to loopback under this describe's title.
  const args = [
    RUNNER,
    '--scenario',
    scenario,
    '--entry',
    'http',
    '--mode',
    'namespace',
    '--vault',
    vault,
    ...(subscription ? ['--subscription', subscription] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`runner exited ${r.status}: ${r.stderr}`);
  const run = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as LabRun;
  expect(run.mode).toBe('namespace');
  // The trigger ran as the app's managed identity, and ARM saw only its tokens.
  expect(run.identityLog.length).toBeGreaterThan(0);
  // The app's identity asked for ARM and, for the authenticated read, the vault audience; nothing else.
  for (const m of run.identityLog)
    expect(m).toMatchObject({ headerOk: true, status: 200, clientId: run.principals.probe });
  const asked = new Set(run.identityLog.map((m) => m.resource));
  expect(asked.has(run.armAudience)).toBe(true);
  expect([...asked].filter((a) => a !== run.armAudience && a !== 'https://vault.azure.net')).toEqual([]);
  expect(run.armCalls.length).toBeGreaterThan(0);
  for (const c of run.armCalls) expect(c.principal).toBe(run.principals.probe);
  if (!run.http) throw new Error('no http outcome');
  return run.http;
}

describeWhere(missingNamespaces(), 'HTTP trigger against the lab (namespace mode)', () => {
  it('answers 200 with the result of a healthy vault', () => {
    const res = http('healthy', 'kv-healthy');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      vault: 'kv-healthy',
      status: 'healthy',
      host: 'kv-healthy.vault.azure.net',
      findings: [],
    });
  });

  it('answers 503 with the findings of a broken vault, taking ?subscription=', () => {
    const res = http('other-vault-ip', 'kv-victim', SUB_APP);
    expect(res.status).toBe(503);
    const body = res.body as { status: string; findings: { code: string }[] };
    expect(body.status).toBe('unhealthy');
    expect(body.findings.map((f) => f.code)).toEqual([
      'DNS_PRIVATE_IP_MISMATCH',
      'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
      'ZONE_RECORD_STALE',
      'ZONE_RECORD_MISSING',
      'DATAPLANE_TCP_CONNECTION_FORBIDDEN',
    ]);
  });

  it('answers 404 for a vault that is not in scope, naming the vault and the rule, not the subscriptions', () => {
    const res = http('vault-not-found', 'kv-absent');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        status: 404,
        message:
          'Vault "kv-absent" was not found: this probe looks only at vaults that ARM lists in its scope (PROBE_SUBSCRIPTIONS, or a ?subscription= named in PROBE_HTTP_SUBSCRIPTIONS). Nothing was resolved or asked on its name.',
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(SUB_APP);
  });

  it('answers 503 when ARM hangs, within the step timeout', () => {
    const t0 = Date.now();
    const res = http('arm-hangs', 'kv-hang');
    expect(res.status).toBe(503);
    expect((res.body as { status: string }).status).toBe('unknown');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('HTTP trigger scope before network (issue 21)', () => {
  it("someone else's vault (in ARM, DNS and the data plane, outside the scope): 404 after ARM only", () => {
    const run = labHttp('vault-outside-scope', 'kv-elsewhere');
    expect(run.http?.status).toBe(404);
    // The lab's DNS server (the OS resolver's and the probe's own), the data plane's listeners, the identity endpoint.
    expect(run.dnsQueries).toEqual([]);
    expect(run.dataplaneConnections).toBe(0);
    expect(run.dataplaneRequests).toBe(0);
    expect(run.identityLog.map((m) => m.resource)).toEqual([run.armAudience]);
    // What it did cost: the scope's vault and Managed HSM lists.
    expect(run.armCalls.map((c) => c.operation)).toEqual([
      'GET Microsoft.KeyVault/vaults',
      'GET Microsoft.KeyVault/managedHSMs',
    ]);
    expect(JSON.stringify(run.http?.body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('the same lab probes its in-scope vault over the network as before', () => {
    const run = labHttp('vault-outside-scope', 'kv-inscope');
    expect(run.http?.status).toBe(200);
    expect(run.dnsQueries.length).toBeGreaterThan(0);
    expect(run.dataplaneConnections).toBeGreaterThan(0);
  });
});

describe('HTTP trigger bounds (issue 21)', () => {
  it('40 addresses in per-vault mode: 16 judged, one NIC list (and at most one endpoint list) for the owner lookups', () => {
    const run = labHttp('dns-fan-out-wide', 'kv-fan-wide');
    expect(run.http?.status).toBe(503);
    const lists = (kind: string): number =>
      run.armCalls.filter((c) =>
        new RegExp(`^/subscriptions/[^/]+/providers/Microsoft\\.Network/${kind}$`).test(c.path),
      ).length;
    // 15 addresses of the 16 judged are no endpoint of the vault, and each asked for its owner.
    expect(lists('networkInterfaces')).toBe(1);
    expect(lists('privateEndpoints')).toBeLessThanOrEqual(1);
    const body = run.http?.body as { findings: { code: string; details: { leftOut?: number } }[] };
    expect(body.findings.filter((f) => f.code === 'DNS_PRIVATE_IP_MISMATCH')).toHaveLength(15);
    expect(body.findings.find((f) => f.code === 'DNS_ADDRESSES_CAPPED')?.details.leftOut).toBe(24);
  });
});

describe('HTTP trigger rate (issue 21)', () => {
  it('1,000 calls in a loop over 20 names cost 12 fresh probes and at most 40 ARM requests', () => {
    // Two names the lab holds (one in scope, one elsewhere) and 18 that no one does, asked round-robin.
    const names = ['kv-inscope', 'kv-elsewhere', ...Array.from({ length: 18 }, (_, i) => `kv-loop-${i + 1}`)];
    const run = labHttp('vault-outside-scope', names.join(','), ['--calls', '1000']);
    const statuses = run.http?.statuses ?? {};
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(1000);
    // PROBE_HTTP_PROBES_PER_MINUTE (12) fresh probes, each listing the scope once; the rest cached or refused.
    expect(run.armCalls.filter((c) => c.operation === 'GET Microsoft.KeyVault/vaults')).toHaveLength(12);
    expect(run.armRequests).toBeLessThanOrEqual(40);
    expect(statuses['429']).toBeGreaterThan(0);
    expect(run.http?.retryAfter?.every((s) => Number(s) >= 1 && Number(s) <= 60)).toBe(true);
    // The in-scope vault was answered from the cache after its first probe: 50 answers, one probe's worth of DNS.
    expect(statuses['200']).toBe(50);
  });
});

describe('HTTP trigger input validation: refused before any request', () => {
  // A runtime whose engine cannot be reached: any attempt to probe fails the test.
  const runtime: TriggerRuntime = {
    settings: ({ requireScope }) => readAppSettings({ PROBE_SUBSCRIPTIONS: SUB_APP }, { requireScope }),
    probeDeps: () => {
      throw new Error('no probe may run for invalid input');
    },
    publisher: () => undefined,
  };
  const call = (name: string, query = '') =>
    createHttpHandler(runtime)(
      new HttpRequest({
        method: 'GET',
        url: `https://app.example/api/vaults/${encodeURIComponent(name)}/probe${query}`,
        params: { name },
      }),
      new InvocationContext({ logHandler: () => undefined }),
    );

  it.each([
    ['kv--double', '"kv--double" is not a valid Key Vault name: it must not contain consecutive hyphens.'],
    [
      'evil.example.com',
      '"evil.example.com" is not a valid Key Vault name: it may contain only letters, digits and hyphens.',
    ],
    ['a', '"a" is not a valid Key Vault name: it must be 3-24 characters long (got 1).'],
  ])('400 for the name %s', async (name, message) => {
    const res = await call(name);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toEqual({ error: { status: 400, message } });
  });

  it('400 for a subscription that is not a GUID', async () => {
    const res = await call('kv-fine', '?subscription=prod');
    expect(res.status).toBe(400);
    expect(res.jsonBody).toEqual({
      error: {
        status: 400,
        message:
          'subscription "prod" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000.',
      },
    });
  });
});

describe('HTTP trigger limits (issue 11)', () => {
  const OTHER = '00000000-1111-2222-3333-444444444444';
  const context = (): InvocationContext => new InvocationContext({ logHandler: () => undefined });
  const request = (name: string, query = ''): HttpRequest =>
    new HttpRequest({ method: 'GET', url: `https://app.example/api/vaults/${name}/probe${query}`, params: { name } });

  it('403 for a subscription outside PROBE_SUBSCRIPTIONS and PROBE_HTTP_SUBSCRIPTIONS; nothing probed', async () => {
    const runtime: TriggerRuntime = {
      settings: ({ requireScope }) => readAppSettings({ PROBE_SUBSCRIPTIONS: SUB_APP }, { requireScope }),
      probeDeps: () => {
        throw new Error('no probe may run for a subscription out of scope');
      },
      publisher: () => undefined,
    };
    const res = await createHttpHandler(runtime)(request('kv-fine', `?subscription=${OTHER}`), context());
    expect(res.status).toBe(403);
  });

  it('429 with Retry-After beyond PROBE_HTTP_CONCURRENCY probes at once; the deadline stays below 230 s', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // An inventory that waits on the gate: the first probe stays running while the second arrives.
    const { runtime } = gatedRuntime(
      { PROBE_SUBSCRIPTIONS: SUB_APP, PROBE_HTTP_CONCURRENCY: '1', PROBE_RUN_DEADLINE_MS: '3600000' },
      () => gate,
    );
    const handler = createHttpHandler(runtime);
    const first = handler(request('kv-first'), context());
    const second = await handler(request('kv-second'), context());
    expect(second.status).toBe(429);
    expect((second.headers as Record<string, string>)['Retry-After']).toBe('10');
    release();
    expect((await first).status).toBe(404);
    expect(HTTP_DEADLINE_MAX_MS).toBeLessThan(230_000);
  });

  it('a misconfiguration answers 500 without echoing a secret-bearing setting', async () => {
    const runtime: TriggerRuntime = {
      settings: ({ requireScope }) =>
        readAppSettings(
          {
            PROBE_SUBSCRIPTIONS: SUB_APP,
            APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Key;Secret=s3cr3t-value',
          },
          { requireScope },
        ),
      probeDeps: () => {
        throw new Error('unused');
      },
      publisher: () => undefined,
    };
    const res = await createHttpHandler(runtime)(request('kv-fine'), context());
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.jsonBody)).not.toContain('s3cr3t-value');
  });
});
