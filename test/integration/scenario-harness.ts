import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FLUSH_TIMEOUT_MS } from '../../src/functions/probe-timer';
import { EVENTS } from '../../src/telemetry/schema';
import type { LabMode } from '../lab/lab';
import type { LabRun } from '../lab/run';
import type { Scenario } from '../lab/scenario';

const ROOT = resolve(__dirname, '..', '..');
const RUNNER = join(ROOT, 'dist', 'test', 'lab', 'run.js');

/** Runs one scenario through the CLI process and the timer handler, in a network namespace the runner makes. */
export function runLab(name: string, mode: LabMode = 'namespace', inventory?: string): LabRun {
  if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: npm test builds it (npm run build) before jest runs.`);
  const r = spawnSync(process.execPath, [RUNNER, '--scenario', name, '--entry', 'both', '--mode', mode, ...(inventory ? ['--inventory', inventory] : [])], { encoding: 'utf8', timeout: 110_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`lab runner exited ${r.status}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LabRun;
}

type Outcome = Record<string, { status: string; codes: string[] }>;

function prop(e: Record<string, unknown>, key: string): string {
  const p = e['properties'] as Record<string, string> | undefined;
  return p?.[key] ?? '';
}

/** Asserts one scenario's stated statuses and codes through both entry points, and the telemetry at the sink. */
export function assertScenario(scenario: Scenario, run: LabRun, mode: LabMode = 'namespace'): void {
  expect(run.mode).toBe(mode);
  const want: Outcome = Object.fromEntries(Object.entries(scenario.expect).map(([k, v]) => [k, { status: v.status, codes: [...v.codes] }]));

  // The CLI process.
  const cli = run.cli;
  expect(cli?.stderr).toBe('');
  const report = cli?.report;
  expect(report).toBeDefined();
  const fromCli: Outcome = Object.fromEntries((report?.results ?? []).map((r) => [r.vault, { status: r.status, codes: r.findings.map((f) => f.code) }]));
  expect(fromCli).toEqual(want);
  expect(report?.summary.skipped).toBe(scenario.expectSkipped ?? 0);
  const statuses = Object.values(want).map((w) => w.status);
  const wantExit = statuses.includes('unhealthy') ? 1 : statuses.includes('unknown') ? 3 : 0;
  expect(cli?.exitCode).toBe(wantExit);

  // The timer handler, as seen by Application Insights (or by the function log when ingestion is down).
  const timer = run.timer;
  expect(timer?.error).toBeUndefined();
  const logged: Outcome = {};
  for (const line of timer?.logs ?? []) {
    const json = line.slice(line.indexOf('{'));
    if (!json.startsWith('{"kvprobe":"result"')) continue;
    const r = JSON.parse(json) as { vault: string; status: string; findings: { code: string }[] };
    logged[r.vault] = { status: r.status, codes: r.findings.map((f) => f.code) };
  }
  expect(logged).toEqual(want);

  if (scenario.faults?.ingestion || scenario.faults?.ingestionDown) {
    // Nothing was accepted, yet every result is in the function log (asserted above), the SDK did try, and the
    // run ended well within the flush timeout instead of hanging on the failing endpoint.
    expect(run.sinkPosts).toBeGreaterThan(0);
    expect(timer?.availability).toEqual([]);
    expect(timer?.durationMs).toBeLessThan(FLUSH_TIMEOUT_MS + 5000);
    return;
  }
  const availability = timer?.availability ?? [];
  const byVault: Outcome = {};
  for (const a of availability) {
    const vault = String(a['name']);
    expect(byVault[vault]).toBeUndefined(); // exactly one availability result per vault per run
    byVault[vault] = { status: prop(a, 'status'), codes: [] };
    expect(a['success']).toBe(prop(a, 'status') === 'healthy');
    expect(a['runLocation']).toBe('lab');
  }
  const events = timer?.events ?? [];
  for (const e of events.filter((x) => x['name'] === EVENTS.finding)) {
    byVault[prop(e, 'vault')]?.codes.push(prop(e, 'code'));
  }
  expect(byVault).toEqual(want);
  const heartbeats = events.filter((x) => x['name'] === EVENTS.heartbeat);
  expect(heartbeats).toHaveLength(1);
  const m = heartbeats[0]?.['measurements'] as Record<string, number> | undefined;
  expect(m?.['vaults']).toBe(Object.keys(want).length);
  expect(m?.['skipped']).toBe(scenario.expectSkipped ?? 0);
}
