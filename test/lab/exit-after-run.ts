import { lastJsonLine, writeMeasurement, type ExitAfterRunFile } from './figures';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inLabNamespace, Lab } from './lab';
import { REPO_ROOT, runInNamespace } from './run';
import { scenarioByName } from './scenarios';
import { timerCall } from './timer-call';

/**
 * issue 11, item 13: telemetry never keeps a process alive. The lab runs in this process (inside a namespace) with
 * an ingestion sink that reads every track POST and never answers it; a child `node` process runs the real timer
 * handler against it and is left to end by itself (no process.exit). The figure is the time from the handler's
 * return (after its bounded flush wait) to the child's exit. The CLI (`--output json`) is timed the same way: from
 * the last byte of its JSON to its exit.
 *
 *   node dist/test/lab/exit-after-run.js [--answer] [--pruned-package]
 *
 * --answer: a sink that answers. --pruned-package: the timer runs from a copy of the deployment package as
 * infra/hooks/package.sh makes it (dist/src and the production closure only), pruned by scripts/prune-package.mjs:
 * what azd deploys must run, and deliver its telemetry, without the files the prune removed.
 */
export interface ExitOutcome {
  readonly sinkHeld: boolean;
  /** Where the timer's code came from: the repository, or the pruned package (with what the prune removed). */
  readonly app: { readonly root: 'repository' | 'pruned-package'; readonly prunedFiles?: number };
  readonly timer: {
    /** How long the handler ran (the run, then the flush wait). */
    readonly handlerMs: number;
    /** From the handler's return to the process's exit; null when it had not exited `CAP_MS` later. */
    readonly exitAfterReturnMs: number | null;
    readonly exitCode: number | null;
    readonly signal: string | null;
    readonly logs: readonly string[];
    readonly stderr: string;
  };
  readonly cli: {
    readonly exitAfterOutputMs: number | null;
    readonly exitCode: number | null;
    readonly results: number | undefined;
  };
  /** Track POSTs the sink got, and how many it left unanswered. */
  readonly sinkPosts: number;
  readonly sinkUnanswered: number;
  /** What reached the sink: snapshot events (every vault's state, in a fresh process's first run), and heartbeats. */
  readonly sinkSnapshots: number;
  readonly sinkHeartbeats: number;
}

/** How long a child is given to exit by itself before it is killed and the case fails. */
const CAP_MS = 30_000;
const RETURNED = '@@returned ';

/** The child: the timer handler, once, with this process's environment as its app settings. Never exits itself. */
async function timerChild(appRoot: string): Promise<void> {
  // From the app's own folder, so its modules resolve against that folder's node_modules.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createTimerHandler } = require(
    join(appRoot, 'dist', 'src', 'functions', 'probe-timer.js'),
  ) as typeof import('../../src/functions/probe-timer');
  const { createRuntime } = require(
    join(appRoot, 'dist', 'src', 'functions', 'runtime.js'),
  ) as typeof import('../../src/functions/runtime');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { context, timer, logs } = timerCall('lab-exit-after-run');
  const t0 = performance.now();
  await createTimerHandler(createRuntime(process.env))(timer, context);
  const handlerMs = Math.round(performance.now() - t0);
  // A pipe on Linux is written synchronously: the line is out before this function returns.
  process.stdout.write(`${RETURNED}${JSON.stringify({ handlerMs, logs })}\n`);
}

interface Timed {
  exitAfterMs: number | null;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `node args`, and times from `mark` (the first moment `isDone(stdout)` holds, checked on each chunk) to the
 * exit. Kills the child CAP_MS after the mark.
 */
function timeExit(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  isDone: (stdout: string) => boolean,
): Promise<Timed> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let markedAt: number | undefined;
    let cap: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (markedAt === undefined && isDone(stdout)) {
        markedAt = performance.now();
        cap = setTimeout(() => child.kill('SIGKILL'), CAP_MS);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (exitCode, signal) => {
      const exitedAt = performance.now();
      clearTimeout(cap);
      const killed = signal === 'SIGKILL';
      resolve({
        exitAfterMs: markedAt === undefined || killed ? null : Math.round(exitedAt - markedAt),
        exitCode,
        signal,
        stdout,
        stderr,
      });
    });
  });
}

/**
 * The deployment package as infra/hooks/package.sh lays it out, in a temporary folder: dist/src, package.json,
 * host.json, and node_modules with the production closure only (`npm ls --omit=dev`; files hard-linked, so pruning
 * the copy leaves this checkout alone), then pruned by scripts/prune-package.mjs.
 */
function prunedPackage(): { root: string; prunedFiles: number } {
  const root = mkdtempSync(join(tmpdir(), 'kvprobe-package-'));
  cpSync(join(REPO_ROOT, 'dist', 'src'), join(root, 'dist', 'src'), { recursive: true });
  for (const f of ['package.json', 'host.json']) copyFileSync(join(REPO_ROOT, f), join(root, f));
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const modules = join(REPO_ROOT, 'node_modules');
  const link = (from: string, to: string): void => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') link(join(from, entry.name), join(to, entry.name));
      else if (entry.isFile()) linkSync(join(from, entry.name), join(to, entry.name));
    }
  };
  for (const dir of listed.split('\n').map((l) => l.trim())) {
    if (dir.startsWith(modules + '/')) link(dir, join(root, 'node_modules', relative(modules, dir)));
  }
  const out = execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'prune-package.mjs'), join(root, 'node_modules'), '--json'],
    { encoding: 'utf8' },
  );
  return { root, prunedFiles: (JSON.parse(out) as { files: number }).files };
}

async function parent(answer: boolean, pruned: boolean): Promise<ExitOutcome> {
  const lab = await Lab.start(scenarioByName('healthy'), 'namespace');
  const pkg = pruned ? prunedPackage() : undefined;
  try {
    lab.sink.holdPosts = !answer;
    const appEnv = { ...lab.appSettings(), ...base(lab) };
    const timer = await timeExit([__filename, '--timer-child', pkg?.root ?? REPO_ROOT], appEnv, (out) =>
      out.includes(RETURNED),
    );
    const line = timer.stdout.split('\n').find((l) => l.startsWith(RETURNED));
    const returned = line
      ? (JSON.parse(line.slice(RETURNED.length)) as { handlerMs: number; logs: string[] })
      : { handlerMs: -1, logs: [] };

    // The CLI does not publish telemetry; a connection string in its environment must not make it start to.
    const cliEnv = {
      ...lab.cliEnv(process.env),
      APPLICATIONINSIGHTS_CONNECTION_STRING: lab.sink.connectionString(lab.iKey),
    };
    const parses = (out: string): boolean => {
      try {
        JSON.parse(out);
        return true;
      } catch {
        return false;
      }
    };
    const cli = await timeExit([join(REPO_ROOT, 'bin', 'kvprobe'), ...lab.cliArgs()], cliEnv, parses);
    let results: number | undefined;
    try {
      results = (JSON.parse(cli.stdout) as { results?: unknown[] }).results?.length;
    } catch {
      results = undefined;
    }
    return {
      sinkHeld: !answer,
      app: pkg ? { root: 'pruned-package', prunedFiles: pkg.prunedFiles } : { root: 'repository' },
      timer: {
        handlerMs: returned.handlerMs,
        exitAfterReturnMs: timer.exitAfterMs,
        exitCode: timer.exitCode,
        signal: timer.signal,
        logs: returned.logs,
        stderr: timer.stderr.slice(-4000),
      },
      cli: { exitAfterOutputMs: cli.exitAfterMs, exitCode: cli.exitCode, results },
      sinkPosts: lab.sink.posts,
      sinkUnanswered: lab.sink.postLog.filter((p) => p.status === 0).length,
      sinkSnapshots: lab.sink.events('KvProbeSnapshot').length,
      sinkHeartbeats: lab.sink.events('KvProbeHeartbeat').length,
    };
  } finally {
    await lab.stop();
    if (pkg) rmSync(pkg.root, { recursive: true, force: true });
  }
}

/** What a child needs besides the app settings: node's own variables, the lab CA, the namespace marker. */
function base(lab: Lab): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const v = process.env[k];
    if (v !== undefined) keep[k] = v;
  }
  return { ...keep, NODE_EXTRA_CA_CERTS: lab.pki.caCertPath, KVPROBE_LAB_NS: '1' };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--timer-child')) {
    await timerChild(argv[argv.indexOf('--timer-child') + 1] ?? REPO_ROOT);
    return -1;
  }
  if (!inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    if (r.status === 0 && argv.includes('--write')) {
      const o = lastJsonLine<ExitOutcome>(r.stdout);
      const file: ExitAfterRunFile = {
        node: process.versions.node,
        timer: { handlerMs: Math.round(o.timer.handlerMs), exitAfterReturnMs: o.timer.exitAfterReturnMs },
        cli: { exitAfterOutputMs: o.cli.exitAfterOutputMs },
        sinkPosts: o.sinkPosts,
        sinkUnanswered: o.sinkUnanswered,
      };
      process.stderr.write(`wrote ${writeMeasurement('exitAfterRun', file)}\n`);
    }
    return r.status ?? 1;
  }
  process.stdout.write(
    JSON.stringify(await parent(argv.includes('--answer'), argv.includes('--pruned-package'))) + '\n',
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // -1: the timer child, which must end by itself.
    (code) => (code === -1 ? undefined : process.stdout.write('', () => process.exit(code))),
    (error: unknown) => {
      process.stderr.write(
        `exit-after-run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
