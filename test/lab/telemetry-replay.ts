import { startApp } from './app-host';
import { Lab } from './lab';
import { compileScenario, type Scenario, type ScenarioVault } from './scenario';

/**
 * A sequence of timer runs against one lab, in loopback mode, where some vaults break for some runs and are fixed
 * after: the real timer handler (one per sequence, so its change state carries over as in a Functions host), the
 * real Application Insights SDK, the lab's ingestion sink. What the sink received is returned run by run, with the
 * bytes of the envelopes as posted (uncompressed JSON). Used by `npm run bench` (telemetry section) and by the alert
 * replay test.
 *
 * Two kinds of break:
 * - dns: the resolvers answer a stale private IP for the broken vaults (what a custom DNS server with an old record
 *   does), while ARM and the zone stay right: root cause `dns`.
 * - zone: the same stale IP, but in the private DNS zone's A record (ARM) as well: the zone is what is broken, and
 *   the DNS and data plane errors follow from it: root cause `zone`.
 * - endpoint: the broken vaults' private endpoint connections go back to Pending in ARM; DNS still answers the
 *   endpoint's IP, which is no longer an approved one, so DNS errors come with it: root cause `endpoint`.
 * - unlinked: the privatelink zone's link to the probe's VNet is deleted in ARM and the broken vaults resolve
 *   publicly: one object, the zone, breaks every one of them (ZONE_NOT_LINKED).
 */
export type BreakKind = 'dns' | 'zone' | 'endpoint' | 'unlinked';

export interface ReplayOptions {
  readonly vaults: number;
  /** The first `brokenVaults` vaults break. */
  readonly brokenVaults: number;
  readonly runs: number;
  /** Runs (1-based, inclusive) in which they are broken; none when undefined. */
  readonly brokenFrom?: number;
  readonly brokenTo?: number;
  readonly refreshRuns?: number;
  readonly kind?: BreakKind;
  /** The probe site's name (PROBE_SITE); default the lab's. */
  readonly location?: string;
  /**
   * Several probe sites over the same lab: one timer process per site (PROBE_SITE), each run of the sequence runs
   * them in turn. Overrides `location`.
   */
  readonly sites?: readonly string[];
  /**
   * Owner keys by vault index: vault i is tagged `KvProbe-Owner: owners[i]` (the tag name in mixed case, as ARM keeps
   * whatever case it was given); none for an empty or missing entry.
   */
  readonly owners?: readonly string[];
  /** Send what the version before issue 12 sent (every finding every run), for the bench's before/after. */
  readonly legacy?: boolean;
}

export interface ReplayRun {
  readonly run: number;
  readonly broken: boolean;
  readonly availability: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
  /** Bytes of every envelope the sink received in this run, serialized as JSON. */
  readonly bytes: number;
  readonly envelopes: number;
}

function scenarioFor(
  vaults: number,
  broken: number,
  kind: BreakKind = 'dns',
  owners: readonly string[] = [],
): Scenario {
  const list: ScenarioVault[] = Array.from({ length: vaults }, (_, i) => ({
    name: `kv-tel-${String(i).padStart(3, '0')}`,
    ...(owners[i] ? { tags: { 'KvProbe-Owner': owners[i] } } : {}),
    endpoints: [
      {
        name: `pe-tel-${i}`,
        ip: `10.60.${Math.floor(i / 250)}.${(i % 250) + 4}`,
        ...(i < broken && kind === 'endpoint' ? { status: 'Pending' as const } : {}),
      },
    ],
    ...(i < broken && (kind === 'dns' || kind === 'zone')
      ? { dns: { kind: 'private' as const, a: [`10.61.${Math.floor(i / 250)}.${(i % 250) + 4}`] } }
      : {}),
    ...(i < broken && kind === 'unlinked' ? { dns: { kind: 'public' as const } } : {}),
  }));
  return {
    name: `telemetry-${vaults}-${broken}`,
    description: 'telemetry replay',
    vaults: list,
    ...(broken > 0 && kind === 'unlinked' ? { probeVnet: { zoneLinked: false } } : {}),
    expect: {},
  };
}

export async function replay(opts: ReplayOptions): Promise<ReplayRun[]> {
  const healthy = scenarioFor(opts.vaults, 0, 'dns', opts.owners);
  const brokenCompiled = compileScenario(scenarioFor(opts.vaults, opts.brokenVaults, opts.kind, opts.owners));
  const brokenDns = brokenCompiled.dns;
  const lab = await Lab.start(healthy, 'loopback');
  try {
    const base = lab.appSettings();
    // The stale addresses are not the healthy lab's: point them at a port nothing listens on (as the lab does for
    // every address nothing serves), so a broken run never connects anywhere but loopback.
    const stale = brokenCompiled.addresses
      .filter((a) => !lab.compiled.addresses.includes(a))
      .map((a) => `${a}:443:127.0.0.1:9`);
    const connectTo = [base['PROBE_CONNECT_TO'] ?? '', ...stale].filter(Boolean).join(',');
    const settings: Record<string, string> = {
      ...base,
      PROBE_CONNECT_TO: connectTo,
      PROBE_FINDING_REFRESH_RUNS: String(opts.refreshRuns ?? 12),
    };
    const sites = opts.sites ?? (opts.location ? [opts.location] : [undefined]);
    // The app's process, one per site for the sequence (its change state carries over, as in a Functions host),
    // started with this process's environment and the settings as its own: nothing writes process.env.
    const apps = sites.map((site) =>
      startApp(
        { entry: 'timer', invocationId: 'replay', ...(opts.legacy ? { legacy: true } : {}), ...lab.appHarness() },
        { ...process.env, ...settings, ...(site ? { PROBE_SITE: site } : {}) },
      ),
    );
    const healthyIds = new Set(lab.compiled.resources.map((r) => r.id.toLowerCase()));
    const brokenIds = new Set(brokenCompiled.resources.map((r) => r.id.toLowerCase()));
    try {
      const runs: ReplayRun[] = [];
      for (let run = 1; run <= opts.runs; run++) {
        const broken = opts.brokenFrom !== undefined && run >= opts.brokenFrom && run <= (opts.brokenTo ?? opts.runs);
        lab.dns.setAll({ ...(broken ? brokenDns : lab.compiled.dns) });
        // ARM changes too, except for a break in DNS alone: what the other state lacks is deleted (a zone link).
        if ((opts.kind ?? 'dns') !== 'dns') {
          for (const resource of (broken ? brokenCompiled : lab.compiled).resources) lab.arm.put(resource);
          for (const id of broken ? healthyIds : brokenIds)
            if (!(broken ? brokenIds : healthyIds).has(id)) lab.arm.remove(id);
        }
        const before = lab.sink.envelopes.length;
        for (const app of apps) {
          const outcome = await app.invoke();
          if (outcome.entry === 'timer' && outcome.error) throw new Error(`timer run ${run} failed: ${outcome.error}`);
        }
        const received = lab.sink.envelopes.slice(before);
        runs.push({
          run,
          broken,
          availability: received
            .filter((e) => e.data.baseType === 'AvailabilityData')
            .map((e) => ({ ...e.data.baseData, time: e.time })),
          events: received
            .filter((e) => e.data.baseType === 'EventData')
            .map((e) => ({ ...e.data.baseData, time: e.time })),
          bytes: received.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0),
          envelopes: received.length,
        });
      }
      return runs;
    } finally {
      await Promise.all(apps.map((app) => app.end()));
    }
  } finally {
    await lab.stop();
  }
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `node dist/test/lab/telemetry-replay.js --vaults 50 --broken 10 --runs 10 --from 3 --to 6`: prints the runs as JSON. */
async function main(argv: readonly string[]): Promise<number> {
  const num = (name: string, fallback?: number): number | undefined => {
    const v = argValue(argv, name);
    return v === undefined ? fallback : Number(v);
  };
  const from = num('--from');
  const to = num('--to');
  const refresh = num('--refresh');
  const runs = await replay({
    vaults: num('--vaults', 10) ?? 10,
    brokenVaults: num('--broken', 0) ?? 0,
    runs: num('--runs', 1) ?? 1,
    ...(from !== undefined ? { brokenFrom: from } : {}),
    ...(to !== undefined ? { brokenTo: to } : {}),
    ...(refresh !== undefined ? { refreshRuns: refresh } : {}),
    legacy: argv.includes('--legacy'),
    ...(argValue(argv, '--location') ? { location: argValue(argv, '--location') } : {}),
    ...(argValue(argv, '--sites') ? { sites: (argValue(argv, '--sites') ?? '').split(',') } : {}),
    ...(argValue(argv, '--owners') !== undefined ? { owners: (argValue(argv, '--owners') ?? '').split(',') } : {}),
    kind: (['zone', 'endpoint', 'unlinked'] as const).find((k) => k === argValue(argv, '--kind')) ?? 'dns',
  });
  process.stdout.write(JSON.stringify(runs) + '\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(
        `telemetry-replay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
