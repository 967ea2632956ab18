import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The telemetry budgets, the figures `npm run bench` measures against them (written to TELEMETRY_FIGURES_FILE, which
 * is committed), and the README's cost table generated from that file (`npm run readme`, block `cost`).
 */

/** Telemetry budgets (issue 24): bytes posted to ingestion per vault-run, envelopes and heartbeats included. */
export const TELEMETRY_BUDGET = { healthy: 60, fivePercentBroken: 100, allBroken: 300 } as const;

export type TelemetryState = keyof typeof TELEMETRY_BUDGET;

export interface TelemetrySequence {
  readonly brokenVaults: number;
  readonly bytes: number;
  readonly envelopes: number;
  readonly bytesPerVaultRun: number;
  readonly findingEvents: number;
  readonly stateRecords: number;
  readonly snapshotEvents: number;
}

/** What `npm run bench -- --telemetry` measures. */
export interface TelemetryFigures {
  /** The day `npm run bench` wrote the file (bench.ts adds it beside the figures). */
  readonly measuredAt?: string;
  readonly vaults: number;
  readonly runs: number;
  readonly measured: Readonly<Record<TelemetryState, TelemetrySequence>>;
  /** The healthy and all-broken sequences with the telemetry of the version before issue 12. */
  readonly before: { readonly healthy: number; readonly allBroken: number };
  readonly budget: typeof TELEMETRY_BUDGET;
  readonly withinBudget: boolean;
}

/** The repository's root: the nearest folder up with a package.json (from test/lab or dist/test/lab). */
function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The last figures, committed beside the README's table: docs/measurements/telemetry-bench.json. */
export const TELEMETRY_FIGURES_FILE = join(repoRoot(), 'docs', 'measurements', 'telemetry-bench.json');

export const STATE_LABELS: Readonly<Record<TelemetryState, string>> = {
  healthy: 'steady, all healthy',
  fivePercentBroken: 'steady, 5% broken',
  allBroken: 'steady, all broken',
};

/** Fleets the cost table prices: vault × site pairs probed every 5 minutes. */
const FLEETS = [
  { label: '500 vaults × 10 sites', pairs: 5_000 },
  { label: '2,000 vaults × 50 sites', pairs: 100_000 },
] as const;

/** Runs a month at one run every 5 minutes (30 days). */
const RUNS_PER_MONTH = 12 * 24 * 30;

const grouped = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** README "Telemetry cost": bytes per vault-run as measured, and what they come to a month for two fleets. */
export function costTable(t: TelemetryFigures): string {
  const states = Object.keys(TELEMETRY_BUDGET) as TelemetryState[];
  const measured = [
    '| state | broken vaults | envelopes | state records | finding events | bytes per vault-run | budget | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...states.map((k) => {
      const m = t.measured[k];
      return `| ${STATE_LABELS[k]} | ${m.brokenVaults} of ${t.vaults} | ${grouped(m.envelopes)} | ${m.stateRecords} | ${m.findingEvents} | ${m.bytesPerVaultRun} | ${t.budget[k]} | ${m.bytesPerVaultRun <= t.budget[k] ? 'yes' : 'no'} |`;
    }),
  ];
  const monthly = [
    `| fleet (every 5 minutes) | vault-runs a month | ${states.map((k) => `${STATE_LABELS[k]}: GB/month`).join(' | ')} |`,
    `| --- | ---: | ${states.map(() => '---:').join(' | ')} |`,
    ...FLEETS.map((f) => {
      const vaultRuns = f.pairs * RUNS_PER_MONTH;
      const gb = (k: TelemetryState): string => grouped((t.measured[k].bytesPerVaultRun * vaultRuns) / 1e9, 1);
      return `| ${f.label} (${grouped(f.pairs)} pairs) | ${grouped(vaultRuns / 1e6, 1)} M | ${states.map(gb).join(' | ')} |`;
    }),
  ];
  return [...measured, '', ...monthly].join('\n');
}

/** The committed figures. */
export function readTelemetryFigures(file: string = TELEMETRY_FIGURES_FILE): TelemetryFigures {
  return JSON.parse(readFileSync(file, 'utf8')) as TelemetryFigures;
}
