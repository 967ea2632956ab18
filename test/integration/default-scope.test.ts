import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { RunReport } from '../../src/probe/report';

const ROOT = resolve(__dirname, '..', '..');
// The compiled lab, in loopback mode, in this process: the CLI runs as a child and is awaited, never run synchronously.
// The path is only known at run time (dist/), so these are require() calls typed by the sources they were built from.
/* eslint-disable @typescript-eslint/no-require-imports */
const { Lab } = require(join(ROOT, 'dist', 'test', 'lab', 'lab.js')) as typeof import('../lab/lab');
const { scenarioByName } = require(
  join(ROOT, 'dist', 'test', 'lab', 'scenarios.js'),
) as typeof import('../lab/scenarios');
const { SUB_APP } = require(join(ROOT, 'dist', 'test', 'lab', 'scenario.js')) as typeof import('../lab/scenario');
/* eslint-enable @typescript-eslint/no-require-imports */

const EMPTY_SUB = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const DISABLED_SUB = '5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c';

describe('kvprobe check with no scope: every subscription this identity can read', () => {
  let lab: import('../lab/lab').Lab;
  beforeAll(async () => {
    lab = await Lab.start(scenarioByName('showcase'), 'loopback');
    lab.arm.addSubscription(EMPTY_SUB);
    lab.arm.setSubscriptionState(DISABLED_SUB, 'Disabled');
    // The list shows a subscription where the caller holds a role: give the CLI's user one in the two new ones.
    for (const sub of [EMPTY_SUB, DISABLED_SUB]) lab.arm.grant(lab.developer, `/subscriptions/${sub}`, ['*/read']);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  /** The lab's flags without its --subscription ones: the user gave no scope. */
  const noScope = (): string[] => {
    const args = lab.cliArgs();
    return args.filter((a, i) => a !== '--subscription' && args[i - 1] !== '--subscription');
  };

  function cli(
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'kvprobe'), ...args], {
        env: { ...lab.cliEnv(process.env), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => done({ status, stdout, stderr }));
    });
  }

  const listed = () => lab.arm.requests.filter((r) => r.method === 'GET' && /^\/subscriptions\/?$/.test(r.path));
  const graph = () =>
    lab.arm.requests.filter((r) => r.method === 'POST' && /Microsoft\.ResourceGraph\/resources/i.test(r.path));

  it('lists the subscriptions once, skips the disabled one, says how many, and probes every vault', async () => {
    const before = { listed: listed().length, graph: graph().length };
    const env = { AZURE_SUBSCRIPTION_ID: '' };
    const r = await cli(noScope(), env);
    expect(r.stderr).toBe(
      'kvprobe: scope: 2 subscriptions this identity can read (skipped: 1 Disabled), read through Resource Graph (5 requests; per-subscription lists: 10)\n',
    );
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report.inventory?.source).toBe('resource-graph');
    expect(report.results.map((x) => x.vault).sort()).toEqual([
      'kv-archive',
      'kv-ledger',
      'kv-orders',
      'kv-payments',
      'kv-reports',
    ]);
    // The lab pages lists by 2: three subscriptions are two pages, the second reached through nextLink.
    expect(
      listed()
        .slice(before.listed)
        .map((q) => [q.query, q.status]),
    ).toEqual([
      ['api-version=2022-12-01', 200],
      ['api-version=2022-12-01&%24skiptoken=2', 200],
    ]);
    // The queries name the readable subscriptions, not the disabled one.
    const bodies = graph()
      .slice(before.graph)
      .map((q) => JSON.parse(q.body ?? '{}') as { subscriptions?: string[] });
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect([...(b.subscriptions ?? [])].sort()).toEqual([EMPTY_SUB, SUB_APP].sort());
  });

  it('narrows to AZURE_SUBSCRIPTION_ID without listing', async () => {
    const before = listed().length;
    const r = await cli(noScope(), { AZURE_SUBSCRIPTION_ID: SUB_APP });
    expect(r.stderr).toBe(`kvprobe: scope: subscription ${SUB_APP} (AZURE_SUBSCRIPTION_ID)\n`);
    expect((JSON.parse(r.stdout) as RunReport).results).toHaveLength(5);
    expect(listed().length).toBe(before);
  });

  it('says nothing with --quiet', async () => {
    const r = await cli([...noScope(), '--quiet'], { AZURE_SUBSCRIPTION_ID: '' });
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as RunReport).results).toHaveLength(5);
  });

  it('reports a subscription list it may not read as unknown, with the ARM error', async () => {
    lab.arm.addFault({ match: (q) => /^\/subscriptions\/?$/.test(q.path), kind: 'status', status: 403, times: 1 });
    const r = await cli(noScope(), { AZURE_SUBSCRIPTION_ID: '' });
    expect(r.status).toBe(3);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report.results).toHaveLength(1);
    expect(report.results[0]?.findings.map((f) => f.code)).toEqual(['ARM_READ_FAILED']);
    expect(report.results[0]?.findings[0]?.message).toMatch(/^ARM list the scope's subscriptions failed HTTP 403/);
  });
});
