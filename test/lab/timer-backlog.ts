import { lastJsonLine, writeMeasurement, type TimerBacklogFile } from './figures';
import { writeFileSync } from 'node:fs';
import { osLookupSlots } from '../../src/adapters/dns';
import { startApp } from './app-host';
import { DnsServer } from './dns-server';
import { inLabNamespace, Lab, scrubbedEnv } from './lab';
import { runInNamespace } from './run';
import type { Scenario } from './scenario';

/**
 * issue 11, item 6: the Functions app carries no getaddrinfo backlog into its next run. Two timer runs in one
 * process (the app's own, app-process.ts), through one handler, as the host would schedule them: in the first the OS resolver hangs (its server
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
    const env = { ...scrubbedEnv(process.env), ...lab.appSettings(), PROBE_DNS_SERVERS: lab.dns.address() };
    const app = startApp({ entry: 'timer', invocationId: 'lab-backlog', ...lab.appHarness() }, env);
    const runs: BacklogRun[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const outcome = await app.invoke();
        if (outcome.entry !== 'timer') throw new Error(`expected a timer outcome, got ${outcome.entry}`);
        runs.push({
          durationMs: outcome.durationMs,
          error: outcome.error,
          results: outcome.logs
            .filter((l) => l.includes('{"kvprobe":"result"'))
            .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as BacklogRun['results'][number]),
          lookupsInFlight: outcome.osLookupsInFlight,
        });
      }
    } finally {
      // Its stuck getaddrinfo calls would hold the app's exit for minutes: it is killed, not waited for.
      await app.end({ kill: true });
    }
    return {
      vaults: BACKLOG_VAULTS,
      timeoutMs: BACKLOG_TIMEOUT_MS,
      deadlineMs: BACKLOG_DEADLINE_MS,
      slots: osLookupSlots(env),
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
    const ok = r.status ?? (r.stdout.trim().startsWith('{') ? 0 : 1);
    if (ok === 0 && argv.includes('--write')) {
      const o = lastJsonLine<BacklogOutcome>(r.stdout);
      const file: TimerBacklogFile = {
        node: process.versions.node,
        vaults: o.vaults,
        timeoutMs: o.timeoutMs,
        slots: o.slots,
        runs: o.runs.map((run) => ({
          durationMs: Math.round(run.durationMs),
          lookupsInFlight: run.lookupsInFlight,
          codes: run.results.flatMap((v) => v.findings.map((f) => f.code)),
        })),
      };
      process.stderr.write(`wrote ${writeMeasurement('timerBacklog', file)}\n`);
    }
    return ok;
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
