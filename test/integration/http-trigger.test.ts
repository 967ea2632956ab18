import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { createHttpHandler } from '../../src/functions/probe-http';
import type { TriggerRuntime } from '../../src/functions/runtime';
import { readAppSettings } from '../../src/config';
import type { LabRun } from '../lab/run';
import { SUB_APP } from '../lab/scenario';

const RUNNER = join(resolve(__dirname, '..', '..'), 'dist', 'test', 'lab', 'run.js');

function http(scenario: string, vault: string, subscription?: string): NonNullable<LabRun['http']> {
  // The mode is asked for, not chosen: the runner must not fall back to loopback under this describe's title.
  const args = [RUNNER, '--scenario', scenario, '--entry', 'http', '--mode', 'namespace', '--vault', vault, ...(subscription ? ['--subscription', subscription] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`runner exited ${r.status}: ${r.stderr}`);
  const run = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as LabRun;
  expect(run.mode).toBe('namespace');
  // The trigger ran as the app's managed identity, and ARM saw only its tokens.
  expect(run.identityLog.length).toBeGreaterThan(0);
  for (const m of run.identityLog) expect(m).toMatchObject({ headerOk: true, status: 200, clientId: run.principals.probe, resource: run.armAudience });
  expect(run.armCalls.length).toBeGreaterThan(0);
  for (const c of run.armCalls) expect(c.principal).toBe(run.principals.probe);
  if (!run.http) throw new Error('no http outcome');
  return run.http;
}

describe('HTTP trigger against the lab (namespace mode)', () => {
  it('answers 200 with the result of a healthy vault', () => {
    const res = http('healthy', 'kv-healthy');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ vault: 'kv-healthy', status: 'healthy', host: 'kv-healthy.vault.azure.net', findings: [] });
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

  it('answers 404 for a vault that is not in scope', () => {
    const res = http('vault-not-found', 'kv-absent');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { status: 404, message: `Vault "kv-absent" was not found in subscription(s) ${SUB_APP}.` } });
  });

  it('answers 503 when ARM hangs, within the step timeout', () => {
    const t0 = Date.now();
    const res = http('arm-hangs', 'kv-hang');
    expect(res.status).toBe(503);
    expect((res.body as { status: string }).status).toBe('unknown');
    expect(Date.now() - t0).toBeLessThan(20_000);
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
      new HttpRequest({ method: 'GET', url: `https://app.example/api/vaults/${encodeURIComponent(name)}/probe${query}`, params: { name } }),
      new InvocationContext({ logHandler: () => undefined }),
    );

  it.each([
    ['kv--double', '"kv--double" is not a valid Key Vault name: it must not contain consecutive hyphens.'],
    ['evil.example.com', '"evil.example.com" is not a valid Key Vault name: it may contain only letters, digits and hyphens.'],
    ['a', '"a" is not a valid Key Vault name: it must be 3-24 characters long (got 1).'],
  ])('400 for the name %s', async (name, message) => {
    const res = await call(name);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toEqual({ error: { status: 400, message } });
  });

  it('400 for a subscription that is not a GUID', async () => {
    const res = await call('kv-fine', '?subscription=prod');
    expect(res.status).toBe(400);
    expect(res.jsonBody).toEqual({ error: { status: 400, message: 'subscription "prod" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000.' } });
  });
});
