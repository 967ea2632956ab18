import { since } from '../concurrency';

/** The stages a run is timed by: the run's own (discover, probe, report) and each vault's (expected → compare). */
export type Stage = 'discover' | 'probe' | 'report' | 'expected' | 'observed' | 'compare' | 'total';

/** A stage's key in a timings record: `expectedMs`. Other keys (a resolver's own duration) are recorded as given. */
export const stageKey = (stage: Stage): `${Stage}Ms` => `${stage}Ms`;

/**
 * Stage durations, kept in one place, as azqr's stage runner keeps each stage's: a stage runs through `time`, which
 * records how long it took under the stage's key, in the order the stages ran. One clock per run, one per vault.
 */
export class StageClock {
  private readonly ms: Record<string, number> = {};
  private readonly t0 = performance.now();

  /** Runs `run` as `stage` and records its duration, also when it throws. */
  async time<T>(stage: Stage, run: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await run();
    } finally {
      this.ms[stageKey(stage)] = since(t);
    }
  }

  /** The same, for a stage that does not wait. */
  timeSync<T>(stage: Stage, run: () => T): T {
    const t = performance.now();
    try {
      return run();
    } finally {
      this.ms[stageKey(stage)] = since(t);
    }
  }

  /** A duration measured elsewhere (a resolver's own), under its own key. */
  record(key: string, ms: number): void {
    this.ms[key] = ms;
  }

  /** Records the time since the clock was made as `stage` (a vault's totalMs). */
  stop(stage: Stage): void {
    this.ms[stageKey(stage)] = since(this.t0);
  }

  /** What was recorded, in order. */
  timings(): Record<string, number> {
    return { ...this.ms };
  }
}

/** Per stage, the slowest vault's duration: `expectedMaxMs` from each result's `expectedMs`. */
export function slowestVault(
  results: readonly { readonly timings: Readonly<Record<string, number>> }[],
  stages: readonly Stage[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stage of stages) {
    const values = results.flatMap((r) => {
      const v = r.timings[stageKey(stage)];
      return v === undefined ? [] : [v];
    });
    if (values.length > 0) out[`${stage}MaxMs`] = Math.max(...values);
  }
  return out;
}
