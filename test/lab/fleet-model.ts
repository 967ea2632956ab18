/**
 * What a fleet of sites sharing one identity costs (issue 23), from measured per-site figures: ARM reads per
 * subscription against the documented read budget, audit entries, ingestion and executions. Pure: the figures come
 * from test/lab/fleet-figures.json, which `npm run bench:fleet` measures and writes.
 */
import { siteOffsetSeconds } from '../../src/functions/start-offset';

/** ARM's read budget per subscription and security principal (token bucket): 250 requests, refilled at 25 per second. */
export const ARM_READ_BUCKET = { size: 250, refillPerSecond: 25 } as const;

/** The measured inputs, as fleet-figures.json holds them. */
export interface FleetFigures {
  readonly measuredAt: string;
  readonly machine: string;
  /** Subscriptions the measured vaults were spread over. */
  readonly subscriptions: number;
  /** ARM requests of one site's run (batched inventory), by vault count. */
  readonly armReadsPerRun: Readonly<Record<string, number>>;
  /** Bytes posted to ingestion per healthy vault-run (availability result and its share of the heartbeat). */
  readonly bytesPerHealthyVaultRun: number;
}

/** Reads refused in one subscription when each site sends `perSite` reads in the second its run starts. */
export function throttledReads(startSeconds: readonly number[], perSite: number, intervalSeconds: number): number {
  const perSecond = new Map<number, number>();
  // Two intervals, so a burst at the end of the first meets the start of the second.
  for (const s of startSeconds)
    for (const k of [0, 1])
      perSecond.set(s + k * intervalSeconds, (perSecond.get(s + k * intervalSeconds) ?? 0) + perSite);
  let tokens: number = ARM_READ_BUCKET.size;
  let refused = 0;
  for (let second = 0; second < 2 * intervalSeconds; second++) {
    if (second > 0) tokens = Math.min(ARM_READ_BUCKET.size, tokens + ARM_READ_BUCKET.refillPerSecond);
    const asked = perSecond.get(second) ?? 0;
    refused += Math.max(0, asked - tokens);
    tokens = Math.max(0, tokens - asked);
  }
  return refused;
}

/** The start seconds of sites `spoke-001`… within the interval: with offsets from their names, or all at 0. */
export function startSeconds(sites: number, intervalSeconds: number, spread: boolean): number[] {
  return Array.from({ length: sites }, (_, i) =>
    spread ? siteOffsetSeconds(`spoke-${String(i + 1).padStart(3, '0')}`, intervalSeconds) : 0,
  );
}

/** The busiest minute's reads in one subscription, every site sending `perSite` reads at its start second. */
export function peakReadsPerMinute(starts: readonly number[], perSite: number): number {
  const perMinute = new Map<number, number>();
  for (const s of starts) perMinute.set(Math.floor(s / 60), (perMinute.get(Math.floor(s / 60)) ?? 0) + perSite);
  return Math.max(0, ...perMinute.values());
}

const RUNS_PER_MONTH_AT_5_MIN = 30 * 24 * 12;

export interface SizingRow {
  readonly sites: number;
  readonly vaults: number;
  readonly armReadsPerRun: number;
  readonly auditEntriesPerHour: number;
  readonly ingestionGbPerMonth: number;
  readonly executionsPerMonth: number;
}

/**
 * A fleet of `sites` sites each probing `vaults` vaults every 5 minutes (every site probes every vault: the upper
 * bound), one resolved address per vault, the authenticated read hourly (PROBE_DATAPLANE_AUTH_PERIOD 60).
 */
export function sizingRow(f: FleetFigures, sites: number, vaults: number): SizingRow {
  const perSite = f.armReadsPerRun[String(vaults)];
  if (perSite === undefined) throw new Error(`fleet-figures.json has no ARM reads for ${vaults} vaults`);
  return {
    sites,
    vaults,
    armReadsPerRun: sites * perSite,
    auditEntriesPerHour: sites * vaults,
    ingestionGbPerMonth: (sites * vaults * RUNS_PER_MONTH_AT_5_MIN * f.bytesPerHealthyVaultRun) / 1e9,
    executionsPerMonth: sites * RUNS_PER_MONTH_AT_5_MIN,
  };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The README's sizing table and what 300 sites cost one subscription's read budget. */
export function sizingMarkdown(f: FleetFigures): string {
  const rows = [10, 100, 300].flatMap((sites) => [100, 1500, 5000].map((vaults) => sizingRow(f, sites, vaults)));
  const perSub = (vaults: number): number => Math.ceil((f.armReadsPerRun[String(vaults)] ?? 0) / f.subscriptions);
  const spread = startSeconds(300, 300, true);
  const burst = startSeconds(300, 300, false);
  const r = perSub(1500);
  return [
    '| sites | vaults | ARM reads per run | audit entries per hour | ingestion GB per month | executions per month |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (x) =>
        `| ${n(x.sites)} | ${n(x.vaults)} | ${n(x.armReadsPerRun)} | ${n(x.auditEntriesPerHour)} | ${x.ingestionGbPerMonth.toFixed(1)} | ${n(x.executionsPerMonth)} |`,
    ),
    '',
    `Measured ${f.measuredAt} (${f.machine}): one site's batched run read ARM ${[100, 1500, 5000].map((v) => `${n(f.armReadsPerRun[String(v)] ?? 0)} times for ${n(v)} vaults`).join(', ')} (spread over ${f.subscriptions} subscriptions), and posted ${n(f.bytesPerHealthyVaultRun)} bytes per healthy vault-run. ` +
      `300 sites with 1,500 vaults over ${f.subscriptions} subscriptions send ${n(r)} reads per subscription per site-run: ${n((300 * r) / 5)} per subscription per minute on average against ARM's budget of ${n(ARM_READ_BUCKET.refillPerSecond * 60)} per minute (${ARM_READ_BUCKET.size} at once, ${ARM_READ_BUCKET.refillPerSecond} per second). ` +
      `With start offsets the busiest minute has ${n(peakReadsPerMinute(spread, r))} and ${n(throttledReads(spread, r, 300))} reads are refused; all sites at second 0 would send ${n(300 * r)} in one second and have ${n(throttledReads(burst, r, 300) / 2)} refused per run.`,
  ].join('\n');
}
