import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HttpRequest, InvocationContext, type Timer } from '@azure/functions';
import { createHttpHandler } from '../../src/functions/probe-http';
import type { RunReport } from '../../src/probe/report';
import { createTimerHandler } from '../../src/functions/probe-timer';
import { createRuntime } from '../../src/functions/runtime';
import { inLabNamespace, Lab, namespacesAvailable, type LabMode } from './lab';
import { installLoopbackGetaddrinfo } from './loopback-getaddrinfo';
import { ALL_SCENARIOS, scenarioByName } from './scenarios';

/** Where the compiled project lives (this file runs from dist/test/lab). */
export const DIST_ROOT = resolve(__dirname, '..', '..');
export const REPO_ROOT = resolve(DIST_ROOT, '..');

export interface CliOutcome {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: RunReport | undefined;
  readonly args: readonly string[];
}

export interface TimerOutcome {
  readonly availability: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
  readonly logs: readonly string[];
  readonly durationMs: number;
  readonly error: string | undefined;
}

export interface LabRun {
  readonly scenario: string;
  readonly mode: LabMode;
  readonly cli?: CliOutcome;
  readonly timer?: TimerOutcome;
  readonly http?: HttpOutcome;
  readonly armRequests: number;
  readonly identityRequests: number;
  readonly sinkPosts: number;
}

/** Runs bin/kvprobe as a user would, against the lab. */
export async function runCli(lab: Lab, extraArgs: readonly string[] = [], format: 'json' | 'table' = 'json'): Promise<CliOutcome> {
  const args = [...lab.cliArgs(), ...(lab.inventory ? ['--inventory', lab.inventory] : []), ...extraArgs];
  if (format === 'table') args.splice(args.indexOf('--output'), 2, '--output', 'table');
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kvprobe'), ...args], { env: lab.cliEnv(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (exitCode) => {
      let report: RunReport | undefined;
      if (format === 'json') {
        try {
          report = JSON.parse(stdout) as RunReport;
        } catch {
          report = undefined;
        }
      }
      done({ exitCode, stdout, stderr, report, args });
    });
  });
}

/** Runs the real timer handler in this process, with the lab as its Azure, and collects what reached the sink. */
export async function runTimer(lab: Lab): Promise<TimerOutcome> {
  const logs: string[] = [];
  const settings = { ...lab.appSettings(), ...(lab.inventory ? { PROBE_INVENTORY: lab.inventory } : {}) };
  // DefaultAzureCredential reads the managed identity endpoint from the process environment, as in Azure.
  for (const [k, v] of Object.entries(settings)) process.env[k] = v;
  const context = new InvocationContext({
    functionName: 'probeTimer',
    invocationId: `lab-${lab.scenario.name}`,
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
  const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: new Date(0).toISOString(), next: new Date().toISOString(), lastUpdated: new Date().toISOString() } };
  if (lab.mode === 'loopback') {
    const r = lab.loopbackResolverEnv();
    installLoopbackGetaddrinfo(r['KVPROBE_LAB_HOSTS'] ?? '{}', r['KVPROBE_LAB_DNS'] ?? '');
  }
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await createTimerHandler(createRuntime({ ...process.env, ...settings }))(timer, context);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  return {
    availability: lab.sink.availability(),
    events: lab.sink.events(),
    logs,
    durationMs: Math.round(performance.now() - t0),
    error,
  };
}

export interface HttpOutcome {
  readonly status: number;
  readonly body: unknown;
}

/** Calls the real HTTP trigger handler in this process, as the Functions host would for GET /api/vaults/{name}/probe. */
export async function runHttp(lab: Lab, vaultName: string, subscription?: string): Promise<HttpOutcome> {
  const settings = lab.appSettings();
  for (const [k, v] of Object.entries(settings)) process.env[k] = v;
  if (lab.mode === 'loopback') {
    const r = lab.loopbackResolverEnv();
    installLoopbackGetaddrinfo(r['KVPROBE_LAB_HOSTS'] ?? '{}', r['KVPROBE_LAB_DNS'] ?? '');
  }
  const query = subscription ? `?subscription=${encodeURIComponent(subscription)}` : '';
  const request = new HttpRequest({ method: 'GET', url: `https://lab.azurewebsites.net/api/vaults/${vaultName}/probe${query}`, params: { name: vaultName } });
  const context = new InvocationContext({ functionName: 'probeVault', invocationId: 'lab-http', logHandler: () => undefined });
  const response = await createHttpHandler(createRuntime({ ...process.env, ...settings, PROBE_VAULTS: '' }))(request, context);
  return { status: response.status ?? 200, body: response.jsonBody };
}

export interface RunOptions {
  readonly scenario: string;
  readonly entry: 'cli' | 'timer' | 'both' | 'http';
  readonly mode: LabMode;
  /** --inventory / PROBE_INVENTORY for both entry points; default auto. */
  readonly inventory?: string;
  /** For the http entry: the vault name in the route, and the optional ?subscription=. */
  readonly vault?: string;
  readonly subscription?: string;
}

/** Starts the scenario's lab, runs the chosen entry points, stops the lab. Runs inside the namespace. */
export async function runScenario(opts: RunOptions): Promise<LabRun> {
  const scenario = scenarioByName(opts.scenario);
  const lab = await Lab.start(scenario, opts.mode);
  if (opts.inventory) lab.inventory = opts.inventory;
  try {
    if (opts.entry === 'http') {
      const http = await runHttp(lab, opts.vault ?? '', opts.subscription);
      return { scenario: scenario.name, mode: opts.mode, http, armRequests: lab.arm.requests.length, identityRequests: lab.identity.requests.length, sinkPosts: lab.sink.posts };
    }
    const cli = opts.entry === 'timer' ? undefined : await runCli(lab);
    const timer = opts.entry === 'cli' ? undefined : await runTimer(lab);
    return {
      scenario: scenario.name,
      mode: opts.mode,
      ...(cli ? { cli } : {}),
      ...(timer ? { timer } : {}),
      armRequests: lab.arm.requests.length,
      identityRequests: lab.identity.requests.length,
      sinkPosts: lab.sink.posts,
    };
  } finally {
    await lab.stop();
  }
}

/**
 * Runs `node <this script> <args>` inside a new user+network+mount namespace, returning its stdout. The child
 * sees KVPROBE_LAB_NS=1 and sets the namespace up itself.
 */
export function runInNamespace(script: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  // Its own TMPDIR: whatever the SDKs persist there (undelivered telemetry) goes away with the run.
  const tmp = mkdtempSync(join(tmpdir(), 'kvprobe-lab-run-'));
  try {
    const r = spawnSync('unshare', ['-rnm', '--', process.execPath, script, ...args], {
      env: { ...process.env, KVPROBE_LAB_NS: '1', APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', TMPDIR: tmp },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * namespace when asked or when `unshare -rnm` works; loopback when asked or when it does not (macOS, locked-down
 * kernels). KVPROBE_LAB_MODE sets the default.
 */
export function chooseMode(requested: string | undefined = process.env['KVPROBE_LAB_MODE']): LabMode {
  if (requested === 'loopback') return 'loopback';
  if (requested === 'namespace' || inLabNamespace()) return 'namespace';
  return namespacesAvailable() ? 'namespace' : 'loopback';
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `node dist/test/lab/run.js --scenario <name> [--entry cli|timer|both]`: prints one LabRun as JSON. */
async function main(argv: readonly string[]): Promise<number> {
  const scenario = argValue(argv, '--scenario');
  const entry = (argValue(argv, '--entry') ?? 'both') as RunOptions['entry'];
  if (!scenario || !ALL_SCENARIOS.some((s) => s.name === scenario)) {
    process.stderr.write(`run: --scenario must be one of: ${ALL_SCENARIOS.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  const mode = chooseMode(argValue(argv, '--mode'));
  if (mode === 'loopback') {
    const vaultArg = argValue(argv, '--vault');
    const subArg = argValue(argv, '--subscription');
    const inventoryArg = argValue(argv, '--inventory');
    const result = await runScenario({ scenario, entry, mode, ...(vaultArg ? { vault: vaultArg } : {}), ...(subArg ? { subscription: subArg } : {}), ...(inventoryArg ? { inventory: inventoryArg } : {}) });
    process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  }
  if (!inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.status ?? 1;
  }
  const vault = argValue(argv, '--vault');
  const subscription = argValue(argv, '--subscription');
  const inventory = argValue(argv, '--inventory');
  const result = await runScenario({ scenario, entry, mode: 'namespace', ...(vault ? { vault } : {}), ...(subscription ? { subscription } : {}), ...(inventory ? { inventory } : {}) });
  process.stdout.write(JSON.stringify(result) + '\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Exit only once stdout is drained: a large report to a pipe is written asynchronously.
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
