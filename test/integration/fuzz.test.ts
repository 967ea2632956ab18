import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FuzzOutcome } from '../lab/fuzz';
import { inCi } from '../support/environment';

/**
 * fast-check mutations of the lab's ARM bodies, each run through the CLI process in a network namespace. The seed
 * is fixed under CI=true, so a CI failure replays exactly; locally it is random, and printed when a case fails:
 * replay it with `node dist/test/lab/fuzz.js --runs 40 --seed <seed>`.
 */
const RUNNER = join(resolve(__dirname, '..', '..'), 'dist', 'test', 'lab', 'fuzz.js');
const CI_SEED = 20261130;
const RUNS = 40;

describe('ARM payload fuzzing (CLI process, namespace mode)', () => {
  it(`${RUNS} mutated payloads: parseable JSON, one result per vault, exit 0/1/3 within the deadline`, () => {
    if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: npm test builds it before jest runs.`);
    const seed = inCi() ? CI_SEED : Math.floor(Math.random() * 2 ** 31);
    const r = spawnSync(process.execPath, [RUNNER, '--runs', String(RUNS), '--seed', String(seed)], {
      encoding: 'utf8',
      timeout: 115_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`fuzz runner (seed ${seed}) exited ${r.status}: ${r.stderr}`);
    const outcome = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as FuzzOutcome;
    expect(outcome.cases).toHaveLength(RUNS);
    expect({ seed, failed: outcome.cases.filter((c) => !c.ok) }).toEqual({ seed, failed: [] });
  });
});
