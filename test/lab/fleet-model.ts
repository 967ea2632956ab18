/**
 * What a fleet of sites sharing one identity costs (issue 23), from measured per-site figures: ARM reads per
 * subscription against the documented read budget, audit entries, ingestion and executions. Pure: the figures come
 * from test/lab/fleet-figures.json, which `npm run bench:fleet` measures and writes, and the telemetry bench's
 * bytes per healthy vault-run (docs/measurements/telemetry-bench.json, `npm run bench`).
 */
import { siteOffsetSeconds } from '../../src/functions/start-offset';
import type { ScopeFigures } from './bench-scope';

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
  /** One timer run under PROBE_SITE_SCOPE=all and =private over a mix of vaults (test/lab/bench-scope.ts). */
  readonly siteScope: ScopeFigures;
}

/** The telemetry bench's figure the ingestion column uses, with its date. */
export interface IngestionFigure {
  readonly measuredAt: string;
  /** Bytes posted to ingestion per healthy vault-run, steady state (snapshot, heartbeat; no per-vault record). */
  readonly bytesPerHealthyVaultRun: number;
}

/**
 * An assumption, not a measurement: how many sites reach each vault privately in the sized fleets (a spoke's own
 * vaults, a few shared ones). Where endpoints sit in a hub every spoke reaches, every site reaches every vault and
 * the default scope is every vault: then the audit-quiet period alone bounds the entries.
 */
export const SITES_REACHING_EACH_VAULT = 3;

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
  /** PROBE_SITE_SCOPE=all, every vault answering the authenticated read: the upper bound. */
  readonly auditEntriesPerHour: number;
  /** The default scope: only the sites that reach a vault privately read it (SITES_REACHING_EACH_VAULT). */
  readonly auditEntriesPerHourDefault: number;
  readonly ingestionGbPerMonth: number;
  readonly executionsPerMonth: number;
}

/** Authenticated reads per vault the site probes and per run (one per resolved address), as measured. */
function readsPerProbedVault(f: FleetFigures): number {
  const s = f.siteScope;
  return s.private.authenticatedReads / s.mix.reached;
}

/**
 * A fleet of `sites` sites each probing `vaults` vaults every 5 minutes, one resolved address per vault, the
 * authenticated read hourly (PROBE_DATAPLANE_AUTH_PERIOD 60). ARM reads, ingestion and executions: every site
 * probing every vault (the upper bound; the batched lists are the same under the default scope, as measured).
 * Audit entries: every vault answering the read (PROBE_SITE_SCOPE=all), and the default scope.
 */
export function sizingRow(f: FleetFigures, ingestion: IngestionFigure, sites: number, vaults: number): SizingRow {
  const perSite = f.armReadsPerRun[String(vaults)];
  if (perSite === undefined) throw new Error(`fleet-figures.json has no ARM reads for ${vaults} vaults`);
  const perVault = readsPerProbedVault(f);
  return {
    sites,
    vaults,
    armReadsPerRun: sites * perSite,
    auditEntriesPerHour: sites * vaults * perVault,
    auditEntriesPerHourDefault: Math.min(sites, SITES_REACHING_EACH_VAULT) * vaults * perVault,
    ingestionGbPerMonth: (sites * vaults * RUNS_PER_MONTH_AT_5_MIN * ingestion.bytesPerHealthyVaultRun) / 1e9,
    executionsPerMonth: sites * RUNS_PER_MONTH_AT_5_MIN,
  };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The sizing table and what 300 sites cost one subscription's read budget. */
export function sizingMarkdown(f: FleetFigures, ingestion: IngestionFigure): string {
  const rows = [10, 100, 300].flatMap((sites) =>
    [100, 1500, 5000].map((vaults) => sizingRow(f, ingestion, sites, vaults)),
  );
  const perSub = (vaults: number): number => Math.ceil((f.armReadsPerRun[String(vaults)] ?? 0) / f.subscriptions);
  const spread = startSeconds(300, 300, true);
  const burst = startSeconds(300, 300, false);
  const r = perSub(1500);
  const s = f.siteScope;
  const mixVaults = s.mix.reached + s.mix.publicElsewhere + s.mix.disabledElsewhere;
  return [
    `| sites | vaults | ARM reads per run | audit entries per hour, upper bound (every site reads every vault) | audit entries per hour, default scope (${SITES_REACHING_EACH_VAULT} sites per vault) | ingestion GB per month | executions per month |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (x) =>
        `| ${n(x.sites)} | ${n(x.vaults)} | ${n(x.armReadsPerRun)} | ${n(x.auditEntriesPerHour)} | ${n(x.auditEntriesPerHourDefault)} | ${x.ingestionGbPerMonth.toFixed(1)} | ${n(x.executionsPerMonth)} |`,
    ),
    '',
    `Measured ${f.measuredAt} (${f.machine}): one site's batched run read ARM ${[100, 1500, 5000].map((v) => `${n(f.armReadsPerRun[String(v)] ?? 0)} times for ${n(v)} vaults`).join(', ')} (spread over ${f.subscriptions} subscriptions). ` +
      `Ingestion uses the telemetry bench's ${n(ingestion.bytesPerHealthyVaultRun)} bytes per healthy vault-run (measured ${ingestion.measuredAt}, [Cost](../README.md#cost)). ` +
      `300 sites with 1,500 vaults over ${f.subscriptions} subscriptions send ${n(r)} reads per subscription per site-run: ${n((300 * r) / 5)} per subscription per minute on average against ARM's budget of ${n(ARM_READ_BUCKET.refillPerSecond * 60)} per minute (${ARM_READ_BUCKET.size} at once, ${ARM_READ_BUCKET.refillPerSecond} per second). ` +
      `With start offsets the busiest minute has ${n(peakReadsPerMinute(spread, r))} and ${n(throttledReads(spread, r, 300))} reads are refused; all sites at second 0 would send ${n(300 * r)} in one second and have ${n(throttledReads(burst, r, 300) / 2)} refused per run.`,
    '',
    `The site scope, measured by one timer run over ${n(mixVaults)} vaults (${n(s.mix.reached)} this site reaches privately, ${n(s.mix.publicElsewhere)} with public access reached elsewhere, ${n(s.mix.disabledElsewhere)} private-only elsewhere). Under \`all\` a private-only vault elsewhere is unreachable by design and gets no data-plane request either; the default also leaves out the public ones, and every vault left out costs no DNS query:`,
    '',
    '| `PROBE_SITE_SCOPE` | vaults probed | ARM requests | DNS queries | data-plane connections | authenticated reads (audit entries) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...(['all', 'private'] as const).map(
      (k) =>
        `| \`${k}\`${k === 'private' ? ' (default)' : ''} | ${n(s[k].probed)} | ${n(s[k].armRequests)} | ${n(s[k].dnsQueries)} | ${n(s[k].connections)} | ${n(s[k].authenticatedReads)} |`,
    ),
  ].join('\n');
}
