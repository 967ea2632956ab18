import { writeFileSync } from 'node:fs';
import { InvocationContext, type Timer } from '@azure/functions';
import { osLookupsInFlight } from '../../src/adapters/dns';
import { createTimerHandler } from '../../src/functions/probe-timer';
import { createRuntime } from '../../src/functions/runtime';
import { DnsServer } from './dns-server';
import { inLabNamespace, Lab } from './lab';
import { becomeAppProcess, runInNamespace } from './run';
import type { Scenario } from './scenario';

/**
 * issue 11, item 6: the Functions app carries no getaddrinfo backlog into its next run. Two timer runs in one
 * process, through one handler, as the host would schedule them: in the first the OS resolver hangs (its server
 * never answers, 30 s per try and 5 tries, so each lookup holds a thread-pool thread for minutes); the second starts
 * right after, with the resolver still hung. The explicit DNS query asks the lab's DNS server, which answers, so the
 * OS resolver is the only thing broken. Prints one JSON line: per run, its duration, one entry per vault, and the
 * probe's lookups still holding a thread.
 *
 *   node dist/test/lab/timer-backlog.js
 */
export const BACKLOG_VAULTS = 4;
export const BACKLOG_TIMEOUT_MS = 2000;
export const BACKLOG_DEADLINE_MS = 10_000;

export interface BacklogRun {
  readonly durationMs: number;
  readonly error: string | undefined;
  readonly results: readonly { vault: string; status: string; findings: { code: string; message: string }[] }[];
  /** The probe's getaddrinfo calls holding a thread-pool thread when the run returned. */
  readonly lookupsInFlight: number;
}

export interface BacklogOutcome {
  readonly vaults: number;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly slots: number;
  readonly runs: readonly BacklogRun[];
}

const SCENARIO: Scenario = {
  name: 'timer-backlog',
  description: 'issue 11: vaults whose names the OS resolver never answers, in two timer runs of one process.',
  vaults: Array.from({ length: BACKLOG_VAULTS }, (_, i) => ({
    name: `kv-backlog-${i}`,
    endpoints: [{ name: `pe-backlog-${i}`, ip: `10.81.${i}.4` }],
  })),
  expect: {},
  timeoutMs: BACKLOG_TIMEOUT_MS,
  deadlineMs: BACKLOG_DEADLINE_MS,
};

async function runTwice(): Promise<BacklogOutcome> {
  const lab = await Lab.start(SCENARIO, 'namespace');
  // The OS resolver's server: a second lab DNS server that never answers the vaults' names.
  const hung = await DnsServer.start({ host: '127.0.0.2', port: 53, records: {} });
  try {
    for (const v of SCENARIO.vaults) hung.set(`${v.name}.vault.azure.net`, { silent: true });
    // /etc/resolv.conf is the lab's own file, bind-mounted into this namespace (lab.ts): rewritten in place.
    writeFileSync('/etc/resolv.conf', 'nameserver 127.0.0.2\noptions timeout:30 attempts:5\n');
    const settings = becomeAppProcess({ ...lab.appSettings(), PROBE_DNS_SERVERS: lab.dns.address() });
    const handler = createTimerHandler(createRuntime(settings));
    const runs: BacklogRun[] = [];
    for (let i = 0; i < 2; i++) {
      const logs: string[] = [];
      const context = new InvocationContext({
        functionName: 'probeTimer',
        invocationId: `lab-backlog-${i}`,
        logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
      });
      const now = new Date().toISOString();
      const timer: Timer = {
        isPastDue: false,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: now, next: now, lastUpdated: now },
      };
      const t0 = performance.now();
      let error: string | undefined;
      try {
        await handler(timer, context);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      runs.push({
        durationMs: Math.round(performance.now() - t0),
        error,
        results: logs
          .filter((l) => l.includes('{"kvprobe":"result"'))
          .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as BacklogRun['results'][number]),
        lookupsInFlight: osLookupsInFlight(),
      });
    }
    return {
      vaults: BACKLOG_VAULTS,
      timeoutMs: BACKLOG_TIMEOUT_MS,
      deadlineMs: BACKLOG_DEADLINE_MS,
      slots: Math.floor(Number(process.env['UV_THREADPOOL_SIZE'] ?? 4) / 2),
      runs,
    };
  } finally {
    await hung.stop();
    await lab.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (!inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.status ?? (r.stdout.trim().startsWith('{') ? 0 : 1);
  }
  process.stdout.write(JSON.stringify(await runTwice()) + '\n');
  return -1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // The inner runner ends itself with SIGKILL once its line is out: its stuck getaddrinfo calls would hold a normal
    // exit for minutes (Node joins thread-pool threads at exit).
    (code) => process.stdout.write('', () => (code === -1 ? process.kill(process.pid, 'SIGKILL') : process.exit(code))),
    (error: unknown) => {
      process.stderr.write(
        `timer-backlog: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
