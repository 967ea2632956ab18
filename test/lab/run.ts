import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunReport } from '../../src/probe/report';
import { startApp } from './app-host';
import type { AppInvocation, AppOutcome } from './app-process';
import { inLabNamespace, Lab, namespacesAvailable, scrubbedEnv, type LabMode } from './lab';
import type { ManagedIdentityRequestLog } from './identity';
import { ESTATE_SCENARIOS } from './estate-scenarios';
import { ALL_SCENARIOS, scenarioByName, TRIGGER_SCENARIOS } from './scenarios';

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
  /** The app process's peak resident set, MiB. */
  readonly peakRssMiB: number;
}

/** One ARM request as the emulator saw it: who, which operation (see arm-operations.ts), what it answered. */
export interface ArmCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly operation: string | undefined;
  readonly action: string | null | undefined;
  /** Client ID of the caller, or undefined when the request got no further than a fault. */
  readonly principal: string | undefined;
}

/** Who the lab's principals are in this run (client IDs), so a test can tell the CLI's calls from the app's. */
export interface LabPrincipals {
  readonly probe: string;
  readonly developer: string;
}

export interface LabRun {
  readonly scenario: string;
  readonly mode: LabMode;
  readonly cli?: CliOutcome;
  readonly timer?: TimerOutcome;
  readonly http?: HttpOutcome;
  readonly armRequests: number;
  /** issue 21: every name the lab's DNS server was asked, and the connections and requests the data plane saw. */
  readonly dnsQueries: readonly string[];
  readonly dataplaneConnections: number;
  readonly dataplaneRequests: number;
  readonly armCalls: readonly ArmCall[];
  readonly identityRequests: number;
  readonly identityLog: readonly ManagedIdentityRequestLog[];
  readonly principals: LabPrincipals;
  /** The ARM audience the app must ask its identity for: the lab ARM's URL (the probe's --arm-endpoint). */
  readonly armAudience: string;
  readonly sinkPosts: number;
  readonly sinkPostLog: readonly { status: number; items: number; bearerFor?: string; audience?: string }[];
  readonly sinkRefusedItems: readonly { index: number; statusCode: number; message: string }[];
  readonly sinkRefusals: number;
  /** Timestamps (ms) of the track POSTs, in order. */
  readonly sinkPostTimes: readonly number[];
  /** What the SDK offered to ingestion, accepted or not: availability result names and event names. */
  readonly sinkOffered: { readonly availability: readonly string[]; readonly events: readonly string[] };
  readonly iKey: string;
}

/** Runs bin/kvprobe as a user would, against the lab. */
export async function runCli(
  lab: Lab,
  extraArgs: readonly string[] = [],
  format: 'json' | 'table' = 'json',
  extraEnv: Readonly<Record<string, string>> = {},
  /** issue 25: `map` runs `kvprobe map` with the same flags (its JSON is no RunReport: `report` stays undefined). */
  command: 'check' | 'map' = 'check',
): Promise<CliOutcome> {
  const args = [...lab.cliArgs(), ...(lab.inventory ? ['--inventory', lab.inventory] : []), ...extraArgs];
  args[0] = command;
  if (format === 'table') args.splice(args.indexOf('--output'), 2, '--output', 'table');
  return new Promise((done) => {
    // A test's own additions (a preloaded module, a file to report to) go on top of the scrubbed environment.
    const base = lab.cliEnv(process.env);
    const nodeOptions = [base['NODE_OPTIONS'], extraEnv['NODE_OPTIONS']].filter(Boolean).join(' ');
    const env = { ...base, ...extraEnv, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kvprobe'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (exitCode) => {
      let report: RunReport | undefined;
      if (format === 'json' && command === 'check') {
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

/**
 * One invocation in the Functions app's own process (app-host.ts), whose environment is what the Functions host
 * gives the app: INHERITED_ENV of the outer environment and the app settings, nothing else. Resolves with its
 * outcome once `whileUp` is done; the process then ends.
 */
async function runApp(
  lab: Lab,
  invocation: Omit<AppInvocation, 'caCertPath' | 'loopback'>,
  settings: Readonly<Record<string, string>>,
  whileUp: () => Promise<void> = () => Promise.resolve(),
): Promise<AppOutcome> {
  const app = startApp({ ...invocation, ...lab.appHarness() }, { ...scrubbedEnv(process.env), ...settings });
  try {
    const outcome = await app.invoke();
    await whileUp();
    return outcome;
  } finally {
    await app.end();
  }
}

/**
 * After the run: telemetry the SDK could not deliver is in its offline store and re-sent on its own schedule. Waits
 * up to `ms` for the sink to hold what the run published (results, findings, heartbeat).
 */
async function awaitDelivery(lab: Lab, ms: number, logs: string[]): Promise<void> {
  // The heartbeat is the run record, posted with everything else the run published.
  const wanted = (): boolean => lab.sink.events('KvProbeHeartbeat').length > 0;
  const t0 = performance.now();
  await lab.sink.waitFor(wanted, ms).catch(() => undefined);
  logs.push(`lab: delivery after the run waited ${Math.round(performance.now() - t0)} ms`);
}

/** Runs the real timer handler in the app's own process, with the lab as its Azure, and collects what reached the sink. */
export async function runTimer(lab: Lab): Promise<TimerOutcome> {
  const logs: string[] = [];
  const settings = { ...lab.appSettings(), ...(lab.inventory ? { PROBE_INVENTORY: lab.inventory } : {}) };
  const outcome = await runApp(
    lab,
    { entry: 'timer', invocationId: `lab-${lab.scenario.name}` },
    settings,
    async () => {
      if (lab.scenario.faults?.ingestionOutage) await awaitDelivery(lab, lab.scenario.deliveryWaitMs ?? 90_000, logs);
    },
  );
  if (outcome.entry !== 'timer') throw new Error('the app process answered for another entry');
  return {
    availability: lab.sink.availability(),
    events: lab.sink.events(),
    logs: [...outcome.logs, ...logs],
    durationMs: outcome.durationMs,
    error: outcome.error,
    peakRssMiB: outcome.peakRssMiB,
  };
}

export interface HttpOutcome {
  readonly status: number;
  readonly body: unknown;
  readonly statuses?: Readonly<Record<string, number>>;
  readonly retryAfter?: readonly string[];
}

/** Calls the real HTTP trigger handler in the app's own process, as the Functions host would for GET /api/vaults/{name}/probe. */
export async function runHttp(
  lab: Lab,
  vaultName: string,
  subscription?: string,
  loop?: AppInvocation['loop'],
): Promise<HttpOutcome> {
  const outcome = await runApp(
    lab,
    {
      entry: 'http',
      invocationId: 'lab-http',
      vault: vaultName,
      ...(subscription ? { subscription } : {}),
      ...(loop ? { loop } : {}),
    },
    lab.appSettings(),
  );
  if (outcome.entry !== 'http') throw new Error('the app process answered for another entry');
  return {
    status: outcome.status,
    body: outcome.body,
    ...(outcome.statuses ? { statuses: outcome.statuses } : {}),
    ...(outcome.retryAfter ? { retryAfter: outcome.retryAfter } : {}),
  };
}

export interface RunOptions {
  readonly scenario: string;
  /** map: `kvprobe map` (with --query-dns in a namespace, where the lab serves the estate's VM DNS servers). */
  readonly entry: 'cli' | 'timer' | 'both' | 'http' | 'map';
  readonly mode: LabMode;
  /** --inventory / PROBE_INVENTORY for both entry points; default auto. */
  readonly inventory?: string;
  /** For the http entry: the vault name in the route, and the optional ?subscription=. */
  readonly vault?: string;
  readonly subscription?: string;
  /** For the http entry: call it this many times in a row (issue 21's loop), cycling through the comma-separated vaults. */
  readonly loop?: AppInvocation['loop'];
}

/** Starts the scenario's lab, runs the chosen entry points, stops the lab. Runs inside the namespace. */
export async function runScenario(opts: RunOptions): Promise<LabRun> {
  const scenario = scenarioByName(opts.scenario);
  const lab = await Lab.start(scenario, opts.mode);
  if (opts.inventory) lab.inventory = opts.inventory;
  try {
    const observed = () => ({
      armRequests: lab.arm.requests.length,
      dnsQueries: lab.dns.queries.map((q) => q.name),
      dataplaneConnections: lab.dataplane.connections,
      dataplaneRequests: lab.dataplane.requests.length,
      armCalls: lab.arm.requests.map((r) => ({
        method: r.method,
        path: r.path,
        status: r.status,
        operation: r.operation,
        action: r.action,
        principal: r.principal,
      })),
      identityRequests: lab.identity.requests.length,
      identityLog: lab.identity.requests,
      principals: { probe: lab.probeIdentity.clientId, developer: lab.developer.clientId },
      armAudience: lab.arm.url,
      sinkPosts: lab.sink.posts,
      sinkPostLog: lab.sink.postLog.map(({ status, items, bearerFor, audience }) => ({
        status,
        items,
        ...(bearerFor ? { bearerFor } : {}),
        ...(audience ? { audience } : {}),
      })),
      sinkRefusedItems: lab.sink.refusedItems,
      sinkRefusals: lab.sink.refusals,
      sinkPostTimes: lab.sink.postLog.map((p) => p.timestamp),
      sinkOffered: {
        availability: lab.sink.offered
          .filter((e) => e.data.baseType === 'AvailabilityData')
          .map((e) => String(e.data.baseData['name'])),
        events: lab.sink.offered
          .filter((e) => e.data.baseType === 'EventData')
          .map((e) => String(e.data.baseData['name'])),
      },
      iKey: lab.iKey,
    });
    if (opts.entry === 'http') {
      const http = await runHttp(lab, opts.vault ?? '', opts.subscription, opts.loop);
      return { scenario: scenario.name, mode: opts.mode, http, ...observed() };
    }
    if (opts.entry === 'map') {
      const query = lab.mode === 'namespace' ? ['--query-dns'] : [];
      const cli = await runCli(lab, query, 'json', {}, 'map');
      return { scenario: scenario.name, mode: opts.mode, cli, ...observed() };
    }
    const cli = opts.entry === 'timer' ? undefined : await runCli(lab);
    const timer = opts.entry === 'cli' ? undefined : await runTimer(lab);
    return {
      scenario: scenario.name,
      mode: opts.mode,
      ...(cli ? { cli } : {}),
      ...(timer ? { timer } : {}),
      ...observed(),
    };
  } finally {
    await lab.stop();
  }
}

/**
 * Runs `node <this script> <args>` inside a new user+network+mount namespace, returning its stdout. The child
 * sees KVPROBE_LAB_NS=1 and sets the namespace up itself.
 */
export function runInNamespace(
  script: string,
  args: readonly string[],
): { status: number | null; stdout: string; stderr: string } {
  // Its own TMPDIR: whatever the SDKs persist there (undelivered telemetry) goes away with the run.
  const tmp = mkdtempSync(join(tmpdir(), 'kvprobe-lab-run-'));
  try {
    const r = spawnSync('unshare', ['-rnm', '--', process.execPath, script, ...args], {
      // Nothing of the outer environment but what node needs: the runner becomes the app's process (see becomeAppProcess).
      env: { ...scrubbedEnv(process.env), KVPROBE_LAB_NS: '1', APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', TMPDIR: tmp },
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

/** `node dist/test/lab/run.js --scenario <name> [--entry cli|timer|both|map]`: prints one LabRun as JSON. */
async function main(argv: readonly string[]): Promise<number> {
  const scenario = argValue(argv, '--scenario');
  const entry = (argValue(argv, '--entry') ?? 'both') as RunOptions['entry'];
  const known = [...ALL_SCENARIOS, ...ESTATE_SCENARIOS, ...TRIGGER_SCENARIOS];
  if (!scenario || !known.some((s) => s.name === scenario)) {
    process.stderr.write(`run: --scenario must be one of: ${known.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  const mode = chooseMode(argValue(argv, '--mode'));
  if (mode === 'loopback') {
    const vaultArg = argValue(argv, '--vault');
    const subArg = argValue(argv, '--subscription');
    const inventoryArg = argValue(argv, '--inventory');
    const result = await runScenario({
      scenario,
      entry,
      mode,
      ...(vaultArg ? { vault: vaultArg } : {}),
      ...(subArg ? { subscription: subArg } : {}),
      ...(inventoryArg ? { inventory: inventoryArg } : {}),
    });
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
  const calls = argValue(argv, '--calls');
  const result = await runScenario({
    scenario,
    entry,
    mode: 'namespace',
    ...(calls && vault ? { loop: { calls: Number(calls), vaults: vault.split(',') } } : {}),
    ...(vault ? { vault } : {}),
    ...(subscription ? { subscription } : {}),
    ...(inventory ? { inventory } : {}),
  });
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
