import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BacklogOutcome } from '../lab/timer-backlog';

/**
 * issue 11, item 6: the Functions app carries no getaddrinfo backlog into its next run. Two timer runs in one process
 * (namespace mode); the OS resolver hangs in both, so the first run leaves lookups stuck in thread-pool threads.
 */
const ROOT = resolve(__dirname, '..', '..');
const RUNNER = join(ROOT, 'dist', 'test', 'lab', 'timer-backlog.js');

describe('no getaddrinfo backlog into the next timer run (namespace mode, hung OS resolver)', () => {
  it('the second run does not wait behind the first run’s stuck lookups, and reports them for every vault', () => {
    if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: npm test builds it before jest runs.`);
    const r = spawnSync(process.execPath, [RUNNER], { encoding: 'utf8', timeout: 55_000 });
    if (r.status !== 0) throw new Error(`timer-backlog exited ${r.status}: ${r.stderr}`);
    const o = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as BacklogOutcome;
    const [first, second] = o.runs;
    if (!first || !second) throw new Error(`expected two runs, got ${o.runs.length}`);

    // The first run leaves the probe's slots held by lookups that never return: the backlog that could carry over.
    expect(first.error).toBeUndefined();
    expect(first.results).toHaveLength(o.vaults);
    expect(first.durationMs).toBeLessThan(o.deadlineMs + 2000);
    expect(first.lookupsInFlight).toBe(o.slots);

    // The second: a result for every vault by its deadline, the resolver problem as a finding for each...
    expect(second.error).toBeUndefined();
    expect(second.results.map((x) => x.vault).sort()).toEqual(first.results.map((x) => x.vault).sort());
    for (const v of second.results) {
      expect(v.status).toBe('unhealthy');
      expect(v.findings).toEqual([
        {
          code: 'DNS_FAILURE',
          severity: 'error',
          message: `The OS resolver (getaddrinfo) could not resolve ${v.vault}.vault.azure.net: TIMEOUT (ESTUCK).`,
        },
      ]);
    }
    // ...and no lookup of it queued behind the stuck ones: waiting for a slot would cost a step timeout, twice with
    // the retry (4 s before the fix).
    expect(second.durationMs).toBeLessThan(o.timeoutMs);
  });
});
