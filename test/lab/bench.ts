import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { staticTokenCredential } from '../../src/adapters/credential';
import { createProbeDeps } from '../../src/engine';
import { cloudProfile } from '../../src/probe/clouds';
import { runProbe } from '../../src/probe/pipeline';
import { ArmEmulator } from './arm-emulator';
import { DnsServer } from './dns-server';
import { GLIBC_DEFAULT_RESOLVER, installLoopbackGetaddrinfo } from './loopback-getaddrinfo';
import { compileScenario, type Scenario, type ScenarioVault } from './scenario';
import { createLabPki, trustLabCa } from './tls';
import { estateTable, oneEstate, serveEstate, type EstateBenchRun } from './bench-estate';
import type { ReplayRun } from './telemetry-replay';
import {
  STATE_LABELS,
  TELEMETRY_BUDGET,
  TELEMETRY_FIGURES_FILE,
  type TelemetryFigures,
  type TelemetrySequence,
  type TelemetryState,
} from './telemetry-cost';
import { measureCpuFloor, type CpuFloor } from './bench-floor';
import { ESTATE_BUDGET, estateWithinBudget, writeMeasurement, type EstateFile } from './figures';

/**
 * `npm run bench`: the batched inventory against per-vault reads on the lab, side by side, for 100, 1,000 and
 * 5,000 vaults in one subscription and spread over 20. Each run is its own child process, so its peak RSS is its
 * own. In-process and loopback only: the getaddrinfo stand-in answers from the lab's DNS server.
 */

const ROOT = resolve(__dirname, '..', '..', '..');

interface BenchRun {
  readonly vaults: number;
  readonly subscriptions: number;
  readonly strategy: 'batched' | 'per-vault';
  readonly armRequests: number;
  readonly armRequestsPerVault: number;
  readonly wallMs: number;
  readonly lowerBoundMs: number;
  readonly ratioToLowerBound: number;
  /** The CPU floor (bench-floor.ts): the same TLS handshakes and DNS queries with Node's own clients, same run. */
  readonly cpuFloor: CpuFloor;
  /** The larger of the latency floor (lowerBoundMs) and the CPU floor, and wall time against it. */
  readonly floorMs: number;
  readonly ratioToFloor: number;
  readonly peakRssMb: number;
  readonly healthy: number;
  /** The machine's 1-minute load average when the run ended. */
  readonly loadAverage: number;
  readonly armLatencyMs: number;
  readonly pageSize: number;
  readonly concurrency: number;
}

function subscriptionId(i: number): string {
  return `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
}

function benchScenario(vaults: number, subscriptions: number): Scenario {
  const subs = Array.from({ length: subscriptions }, (_, i) => subscriptionId(i));
  const list: ScenarioVault[] = Array.from({ length: vaults }, (_, i) => ({
    name: `kv-bench-${String(i).padStart(5, '0')}`,
    subscription: subs[i % subscriptions] ?? subs[0],
    endpoints: [
      { name: `pe-bench-${i}`, ip: `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}` },
    ],
  }));
  return {
    name: `bench-${vaults}-${subscriptions}`,
    description: 'benchmark',
    subscriptions: subs,
    vaults: list,
    expect: {},
  };
}

interface LabEndpoints {
  readonly armUrl: string;
  readonly dns: string;
  readonly caPem: string;
  /** A token the bench ARM accepts (a principal it grants every read). */
  readonly token: string;
}

/**
 * `--serve`: the lab's ARM and DNS for one size, in a process of their own, so the measured process does only
 * the probe's work (as in Azure, where ARM and the resolver are elsewhere). Prints its endpoints, then serves
 * until its standard input closes; `--count` on stdin prints the ARM request count first.
 */
async function serve(vaults: number, subscriptions: number, latencyMs: number, pageSize: number): Promise<void> {
  const pki = createLabPki();
  const compiled = compileScenario(benchScenario(vaults, subscriptions));
  const arm = await ArmEmulator.start({ pki, pageSize, latencyMs });
  for (const s of compiled.subscriptions) arm.addSubscription(s);
  for (const r of compiled.resources) arm.put(r);
  const dns = await DnsServer.start({ records: { ...compiled.dns }, latencyMs: 1 });
  const endpoints: LabEndpoints = { armUrl: arm.url, dns: dns.address(), caPem: pki.caPem, token: arm.trustedToken() };
  process.stdout.write(JSON.stringify(endpoints) + '\n');
  process.stdin.on('data', (d: Buffer) => {
    if (d.toString().includes('count'))
      process.stdout.write(
        JSON.stringify({ armRequests: arm.requests.length, tlsHandshakes: arm.tlsHandshakes }) + '\n',
      );
  });
  await new Promise<void>((done) => process.stdin.on('end', done));
  await Promise.all([arm.stop(), dns.stop()]);
}

function startServer(args: string[]): Promise<{
  endpoints: LabEndpoints;
  count: () => Promise<{ armRequests: number; tlsHandshakes: number }>;
  stop: () => void;
}> {
  const child = spawn(process.execPath, [__filename, '--serve', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = (): Promise<string> => new Promise((r) => (lines.length > 0 ? r(lines.shift() ?? '') : waiters.push(r)));
  return next().then((first) => ({
    endpoints: JSON.parse(first) as LabEndpoints,
    count: async () => {
      child.stdin.write('count\n');
      return JSON.parse(await next()) as { armRequests: number; tlsHandshakes: number };
    },
    stop: () => child.stdin.end(),
  }));
}

/** One measured run: the probe in this process, the lab in another. */
async function one(
  vaults: number,
  subscriptions: number,
  strategy: 'batched' | 'per-vault',
  latencyMs: number,
  pageSize: number,
  concurrency: number,
  timeoutMs = 120_000,
): Promise<BenchRun> {
  // ARM and DNS in a process of their own: in Azure they do not share the probe's CPU. (On a 2-core machine a
  // third process for DNS alone was slower, not faster.)
  const server = await startServer([
    '--vaults',
    String(vaults),
    '--subs',
    String(subscriptions),
    '--latency',
    String(latencyMs),
    '--page-size',
    String(pageSize),
  ]);
  const dnsAddress = server.endpoints.dns;
  trustLabCa(server.endpoints.caPem);
  // The stand-in for getaddrinfo waits as a production resolver does (glibc's defaults), not as the lab's test
  // namespace does (1 s, one try): with other work on the CPU, an answer later than 1 s is routine, and reporting it
  // as EAI_AGAIN made false DNS_FAILUREs (4,995 of 5,000 healthy with --cpu-hog, per-vault, 20 subscriptions).
  installLoopbackGetaddrinfo('{}', dnsAddress, GLIBC_DEFAULT_RESOLVER);
  const subs = Array.from({ length: subscriptions }, (_, i) => subscriptionId(i));
  const cloud = cloudProfile('AzureCloud', server.endpoints.armUrl);
  const deps = createProbeDeps({
    inventory: strategy,
    cloud,
    dnsServers: [dnsAddress],
    connectTo: [],
    timeoutMs,
    env: {},
    credential: staticTokenCredential(server.endpoints.token),
  });
  const t0 = performance.now();
  const report = await runProbe(
    {
      cloud,
      location: 'bench',
      subscriptions: subs,
      targets: [],
      dataplane: false,
      timeoutMs,
      concurrency,
      deadlineMs: 3_600_000,
    },
    deps,
  );
  const wallMs = performance.now() - t0;
  if (process.env['KVPROBE_BENCH_DEBUG']) {
    const t = report.results.map((r) => r.timings);
    const max = (k: string): number => Math.max(...t.map((x) => x[k] ?? 0));
    const codes = new Map<string, number>();
    for (const r of report.results) for (const f of r.findings) codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
    const sample = report.results.find((r) => r.status !== 'healthy');
    process.stderr.write(
      `not healthy: ${JSON.stringify([...codes])}; e.g. ${JSON.stringify(sample?.findings.map((f) => f.message))}\n`,
    );
    process.stderr.write(
      `discover ${t[0]?.['discoverMs']} ms, max expected ${max('expectedMs')} ms, max observed ${max('observedMs')} ms, max os ${max('osResolveMs')} ms, max dns ${max('dnsResolveMs')} ms\n`,
    );
  }
  const { armRequests, tlsHandshakes } = await server.count();
  const cpuFloor = await measureCpuFloor({
    armUrl: server.endpoints.armUrl,
    dnsServer: dnsAddress,
    tlsHandshakes,
    vaults,
    name: (i) => `kv-bench-${String(i).padStart(5, '0')}`,
    concurrency,
  });
  server.stop();

  // The floor: ARM requests that must follow each other, at the injected latency, plus the DNS round trips of
  // every vault (OS lookup beside CNAME hop, CNAME end, A) at the configured concurrency. Both strategies list a
  // subscription's vaults then its Managed HSMs, and read the privatelink zone (list, record pages, links: all the
  // bench's records sit in one zone). Batched then lists endpoints and NICs; per-vault reads, vault by vault, an
  // endpoint, its NIC and its DNS zone groups.
  const perSub = Math.ceil(vaults / subscriptions);
  const pages = Math.max(1, Math.ceil(perSub / pageSize));
  const zoneChain = 1 + Math.max(1, Math.ceil(vaults / pageSize)) + 1;
  const dnsMs = Math.ceil(vaults / concurrency) * 3 * 1;
  const armChainMs =
    strategy === 'batched'
      ? (pages + 1 + pages + pages + zoneChain) * latencyMs
      : (pages + 1 + zoneChain) * latencyMs + Math.ceil(vaults / concurrency) * 3 * latencyMs;
  const lowerBoundMs = armChainMs + dnsMs;
  return {
    vaults,
    subscriptions,
    strategy,
    armRequests,
    armRequestsPerVault: Math.round((armRequests / vaults) * 1000) / 1000,
    wallMs: Math.round(wallMs),
    lowerBoundMs,
    ratioToLowerBound: Math.round((wallMs / lowerBoundMs) * 100) / 100,
    cpuFloor,
    floorMs: Math.max(lowerBoundMs, cpuFloor.ms),
    ratioToFloor: Math.round((wallMs / Math.max(lowerBoundMs, cpuFloor.ms)) * 100) / 100,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    healthy: report.summary.healthy,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    armLatencyMs: latencyMs,
    pageSize,
    concurrency,
  };
}

/**
 * The telemetry section: the real timer handler, the real SDK and the lab's ingestion sink, 60 vaults over 12 runs
 * of a fresh process, once all healthy, once with 3 vaults (5%) broken from the first run and once all broken from
 * the first run: a steady state over one snapshot period (the first run is the process's snapshot, the findings
 * appear in it and stay; a process that has run longer sends one snapshot and refreshes each finding once every 12
 * runs just the same). Bytes are the envelopes as posted, serialized as JSON (before gzip), heartbeats included.
 */
function telemetryFigures(vaults: number, runs: number): TelemetryFigures {
  // Each sequence in a process of its own, as a Functions host is: a fresh SDK client, fresh change state.
  const replay = (args: string[]): ReplayRun[] => {
    const r = spawnSync(
      process.execPath,
      [join(__dirname, 'telemetry-replay.js'), '--vaults', String(vaults), '--runs', String(runs), ...args],
      {
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' },
        maxBuffer: 256 * 1024 * 1024,
        // The SDK names the cloud role after the executable ("unknown_service:<argv0>"); a full path here would add
        // 60 bytes to every envelope that a Functions host (role = the app's name) does not send.
        argv0: 'node',
      },
    );
    if (r.status !== 0) throw new Error(`telemetry-replay ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as ReplayRun[];
  };
  const per = (bytes: number): number => Math.round(bytes / (vaults * runs));
  const sequence = (brokenVaults: number, legacy = false): TelemetrySequence => {
    const rs = replay([
      '--broken',
      String(brokenVaults),
      ...(brokenVaults > 0 ? ['--from', '1'] : []),
      ...(legacy ? ['--legacy'] : []),
    ]);
    const bytes = rs.reduce((n, r) => n + r.bytes, 0);
    const events = rs.flatMap((r) => r.events);
    return {
      brokenVaults,
      bytes,
      envelopes: rs.reduce((n, r) => n + r.envelopes, 0),
      bytesPerVaultRun: per(bytes),
      findingEvents: events.filter((e) => e['name'] === 'KvProbeFinding').length,
      stateRecords: rs.reduce((n, r) => n + r.availability.length, 0),
      snapshotEvents: events.filter((e) => e['name'] === 'KvProbeSnapshot').length,
    };
  };
  const measured: Record<TelemetryState, TelemetrySequence> = {
    healthy: sequence(0),
    fivePercentBroken: sequence(Math.round(vaults * 0.05)),
    allBroken: sequence(vaults),
  };
  return {
    vaults,
    runs,
    measured,
    before: {
      healthy: sequence(0, true).bytesPerVaultRun,
      allBroken: sequence(vaults, true).bytesPerVaultRun,
    },
    budget: TELEMETRY_BUDGET,
    withinBudget: (Object.keys(TELEMETRY_BUDGET) as TelemetryState[]).every(
      (k) => measured[k].bytesPerVaultRun <= TELEMETRY_BUDGET[k],
    ),
  };
}

function telemetryTable(t: TelemetryFigures): string {
  const states = Object.keys(TELEMETRY_BUDGET) as TelemetryState[];
  return [
    `Telemetry: ${t.vaults} vaults x ${t.runs} runs of a fresh process through the App Insights SDK to the lab's ingestion sink (envelopes as JSON, heartbeats included).`,
    '',
    '| state | envelopes | state records | finding events | bytes | bytes per vault-run | budget | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...states.map((k) => {
      const m = t.measured[k];
      return `| ${STATE_LABELS[k]} (${m.brokenVaults} broken) | ${m.envelopes} | ${m.stateRecords} | ${m.findingEvents} | ${m.bytes} | ${m.bytesPerVaultRun} | ${t.budget[k]} | ${m.bytesPerVaultRun <= t.budget[k] ? 'yes' : 'NO'} |`;
    }),
    '',
    `Budgets met: ${states.filter((k) => t.measured[k].bytesPerVaultRun <= t.budget[k]).length} of ${states.length}.`,
    `Before issue 12 (every finding every run, same sequences): healthy ${t.before.healthy} bytes per vault-run (now/before ${(t.measured.healthy.bytesPerVaultRun / t.before.healthy).toFixed(3)}), all broken ${t.before.allBroken} (now/before ${(t.measured.allBroken.bytesPerVaultRun / t.before.allBroken).toFixed(3)}).`,
    '',
  ].join('\n');
}

function runTelemetryChild(): TelemetryFigures | string {
  const r = spawnSync(process.execPath, [__filename, '--telemetry-child'], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) return `telemetry section failed: ${r.stderr}`;
  const figures = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as TelemetryFigures;
  // The README's cost table follows this file (npm run readme; test/unit/readme-tables.test.ts).
  mkdirSync(dirname(TELEMETRY_FIGURES_FILE), { recursive: true });
  writeFileSync(
    TELEMETRY_FIGURES_FILE,
    JSON.stringify({ measuredAt: new Date().toISOString().slice(0, 10), ...figures }, null, 2) + '\n',
  );
  return figures;
}

/** The estate map in a child process of its own (its peak RSS is its own). */
function estateChild(
  argv: readonly string[],
  latency: number,
  pageSize: number,
  concurrency: number,
  timeoutMs: number,
): EstateBenchRun | string {
  const r = spawnSync(
    process.execPath,
    [
      __filename,
      '--one-estate',
      '--vnets',
      argValue(argv, '--estate-vnets') ?? '500',
      '--vaults',
      argValue(argv, '--estate-vaults') ?? '5000',
      '--latency',
      String(latency),
      '--page-size',
      String(pageSize),
      '--concurrency',
      String(concurrency),
      '--timeout',
      String(timeoutMs),
    ],
    { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) return `estate map failed: ${r.stderr}`;
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as EstateBenchRun;
}

/** One measured run (`--one`) in a child process of its own, so its peak RSS is its own. */
function oneChild(
  vaults: number,
  subs: number,
  strategy: 'batched' | 'per-vault',
  latency: number,
  pageSize: number,
  concurrency: number,
  timeoutMs: number,
): BenchRun | string {
  const r = spawnSync(
    process.execPath,
    [
      __filename,
      '--one',
      '--vaults',
      String(vaults),
      '--subs',
      String(subs),
      '--strategy',
      strategy,
      '--latency',
      String(latency),
      '--page-size',
      String(pageSize),
      '--concurrency',
      String(concurrency),
      '--timeout',
      String(timeoutMs),
    ],
    {
      encoding: 'utf8',
      timeout: 1_200_000,
      // As bin/kvprobe sets it: the probe's getaddrinfo calls may use half of the pool.
      env: {
        ...process.env,
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        UV_THREADPOOL_SIZE: process.env['UV_THREADPOOL_SIZE'] ?? '16',
      },
    },
  );
  if (r.status !== 0) return `${vaults} vaults / ${subs} subs / ${strategy} failed: ${r.stderr}`;
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as BenchRun;
}

/**
 * `--estate`: the batched per-site check of as many vaults in one subscription (unless `--no-per-site`), then the
 * map, each in a child of its own, one after the other, so the wall-time ratio compares two runs on the same load.
 * `--write` records both in docs/measurements/estate.json.
 */
function estateRun(
  argv: readonly string[],
  latency: number,
  pageSize: number,
  concurrency: number,
  timeoutMs: number,
): number {
  const vaults = Number(argValue(argv, '--estate-vaults') ?? 5000);
  const perSite = argv.includes('--no-per-site')
    ? null
    : oneChild(vaults, 1, 'batched', latency, pageSize, concurrency, timeoutMs);
  if (typeof perSite === 'string') {
    process.stderr.write(`bench: ${perSite}\n`);
    return 1;
  }
  const r = estateChild(argv, latency, pageSize, concurrency, timeoutMs);
  if (typeof r === 'string') {
    process.stderr.write(`bench: ${r}\n`);
    return 1;
  }
  const file: EstateFile = {
    node: process.versions.node,
    cores: availableParallelism(),
    armLatencyMs: latency,
    pageSize,
    concurrency,
    timeoutMs,
    budget: ESTATE_BUDGET,
    estate: r,
    perSite: perSite && {
      vaults: perSite.vaults,
      subscriptions: perSite.subscriptions,
      wallMs: perSite.wallMs,
      armRequests: perSite.armRequests,
      peakRssMb: perSite.peakRssMb,
      healthy: perSite.healthy,
      loadAverage: perSite.loadAverage,
    },
  };
  if (argv.includes('--write')) process.stderr.write(`bench: ${writeMeasurement('estate', file)} written\n`);
  process.stdout.write(
    argv.includes('--json') ? JSON.stringify(file, null, 2) + '\n' : estateTable(r, file.perSite ?? undefined),
  );
  // A false finding in the per-site run fails the bench, as in the full run.
  return estateWithinBudget(r) && (perSite === null || perSite.healthy === perSite.vaults) ? 0 : 1;
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function moduleFigures(): { moduleLoadMs?: unknown; packageBytes?: unknown } {
  const script = join(ROOT, 'scripts', 'measure-load.mjs');
  if (!existsSync(script)) return {};
  const r = spawnSync(process.execPath, [script, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  try {
    return JSON.parse(r.stdout) as { moduleLoadMs?: unknown; packageBytes?: unknown };
  } catch {
    return {};
  }
}

function table(runs: readonly BenchRun[]): string {
  const head = [
    'vaults',
    'subs',
    'strategy',
    'ARM req',
    'req/vault',
    'wall ms',
    'speed-up',
    'latency floor ms',
    'CPU floor ms',
    'wall/floor',
    'peak RSS MB',
    'healthy',
  ];
  const rows = runs.map((r) => {
    const other = runs.find(
      (o) => o.vaults === r.vaults && o.subscriptions === r.subscriptions && o.strategy === 'per-vault',
    );
    const speedUp =
      r.strategy === 'batched' && other ? `${Math.round((other.wallMs / Math.max(1, r.wallMs)) * 10) / 10}x` : '';
    return [
      String(r.vaults),
      String(r.subscriptions),
      r.strategy,
      String(r.armRequests),
      String(r.armRequestsPerVault),
      String(r.wallMs),
      speedUp,
      String(r.lowerBoundMs),
      String(r.cpuFloor.ms),
      String(r.ratioToFloor),
      String(r.peakRssMb),
      `${r.healthy}/${r.vaults}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

async function main(argv: readonly string[]): Promise<number> {
  const latency = Number(argValue(argv, '--latency') ?? 50);
  const pageSize = Number(argValue(argv, '--page-size') ?? 1000);
  const concurrency = Number(argValue(argv, '--concurrency') ?? 64);
  const timeoutMs = Number(argValue(argv, '--timeout') ?? 120_000);
  if (argv.includes('--serve') && argv.includes('--estate')) {
    await serveEstate(Number(argValue(argv, '--vnets')), Number(argValue(argv, '--vaults')), latency, pageSize);
    return 0;
  }
  if (argv.includes('--one-estate')) {
    // issue 25: one map of the estate, in this process; its ARM in a process of its own.
    const vnets = Number(argValue(argv, '--vnets') ?? 500);
    const vaults = Number(argValue(argv, '--vaults') ?? 5000);
    const server = await startServer([
      '--estate',
      '--vnets',
      String(vnets),
      '--vaults',
      String(vaults),
      '--latency',
      String(latency),
      '--page-size',
      String(pageSize),
    ]);
    const r = await oneEstate(server, vnets, vaults, concurrency, timeoutMs);
    process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  if (argv.includes('--estate')) return estateRun(argv, latency, pageSize, concurrency, timeoutMs);
  if (argv.includes('--serve')) {
    await serve(Number(argValue(argv, '--vaults')), Number(argValue(argv, '--subs')), latency, pageSize);
    return 0;
  }
  if (argv.includes('--telemetry-child')) {
    process.stdout.write(JSON.stringify(telemetryFigures(60, 12)) + '\n');
    return 0;
  }
  if (argv.includes('--telemetry')) {
    // Only the telemetry section (the inventory runs take minutes).
    const t = runTelemetryChild();
    if (typeof t === 'string') {
      process.stderr.write(`bench: ${t}\n`);
      return 1;
    }
    process.stdout.write(
      argv.includes('--json') ? JSON.stringify({ telemetry: t }, null, 2) + '\n' : telemetryTable(t),
    );
    return t.withinBudget ? 0 : 1;
  }
  if (argv.includes('--one')) {
    const r = await one(
      Number(argValue(argv, '--vaults')),
      Number(argValue(argv, '--subs')),
      argValue(argv, '--strategy') === 'per-vault' ? 'per-vault' : 'batched',
      latency,
      pageSize,
      concurrency,
      timeoutMs,
    );
    process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  const sizes = (argValue(argv, '--sizes') ?? '100,1000,5000').split(',').map(Number);
  const subCounts = (argValue(argv, '--subs') ?? '1,20').split(',').map(Number);
  // --cpu-hog (issue 11): a busy loop on every core for the whole measurement, as when other work shares the
  // machine. Every vault must still be reported healthy: one slow answer is retried, not reported.
  const hogs = argv.includes('--cpu-hog')
    ? Array.from({ length: availableParallelism() }, () =>
        spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
      )
    : [];
  try {
    return await measure(argv, sizes, subCounts, latency, pageSize, concurrency, timeoutMs, hogs.length);
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
  }
}

async function measure(
  argv: readonly string[],
  sizes: number[],
  subCounts: number[],
  latency: number,
  pageSize: number,
  concurrency: number,
  timeoutMs: number,
  hogs: number,
): Promise<number> {
  const runs: BenchRun[] = [];
  let unhealthyRuns = 0;
  for (const vaults of sizes) {
    for (const subs of subCounts) {
      for (const strategy of ['batched', 'per-vault'] as const) {
        const run = oneChild(vaults, subs, strategy, latency, pageSize, concurrency, timeoutMs);
        if (typeof run === 'string') {
          process.stderr.write(`bench: ${run}\n`);
          return 1;
        }
        if (run.healthy !== vaults) {
          // Printed with the rest (the healthy column), and the bench fails: a false finding under load is a defect.
          process.stderr.write(
            `bench: ${vaults} vaults / ${subs} subs / ${strategy}: only ${run.healthy} healthy (KVPROBE_BENCH_DEBUG=1 names the findings)\n`,
          );
          unhealthyRuns++;
        }
        runs.push(run);
        if (!argv.includes('--json'))
          process.stderr.write(
            `bench: ${vaults} vaults / ${subs} subs / ${strategy}: ${run.wallMs} ms, ${run.armRequests} ARM requests\n`,
          );
      }
    }
  }
  // Under --cpu-hog only the inventory runs are measured: module load, the estate and the telemetry section (which
  // rewrites its own file) are figures of a machine without the hog.
  const extras = hogs === 0;
  const modules = extras ? moduleFigures() : {};
  const estate = extras ? estateChild(argv, latency, pageSize, concurrency, timeoutMs) : 'left out under --cpu-hog';
  if (extras && typeof estate === 'string') process.stderr.write(`bench: ${estate}\n`);
  const telemetry = extras ? runTelemetryChild() : 'left out under --cpu-hog';
  if (extras && typeof telemetry === 'string') process.stderr.write(`bench: ${telemetry}\n`);
  const file = {
    node: process.versions.node,
    cores: availableParallelism(),
    armLatencyMs: latency,
    pageSize,
    concurrency,
    timeoutMs,
    cpuHogs: hogs,
    runs,
    ...modules,
    ...(typeof estate === 'string' ? {} : { estate }),
    ...(typeof telemetry === 'string' ? {} : { telemetry }),
  };
  // --write: docs/measurements/bench-cpu-hog.json under --cpu-hog, else bench.json (test/lab/figures.ts).
  if (argv.includes('--write'))
    process.stderr.write(`bench: ${writeMeasurement(hogs > 0 ? 'cpuHog' : 'bench', file)} written\n`);
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(file, null, 2) + '\n');
  } else {
    process.stdout.write(
      `ARM latency ${latency} ms per request, ${pageSize} items per page, DNS about 1 ms per answer, concurrency ${concurrency}, step timeout ${timeoutMs} ms, data plane off${hogs ? `, ${hogs} busy-loop processes (--cpu-hog)` : ''}.\n\n`,
    );
    process.stdout.write(table(runs));
    if (modules.moduleLoadMs)
      process.stdout.write(
        `\nFunctions module load (median): ${JSON.stringify(modules.moduleLoadMs)} ms; package size: ${JSON.stringify(modules.packageBytes)} bytes\n`,
      );
    // issue 25: the estate beside the per-site run of as many vaults (batched, fewest subscriptions), same run.
    const perSite = runs
      .filter((x) => x.strategy === 'batched' && typeof estate !== 'string' && x.vaults === estate.vaults)
      .sort((a, b) => a.subscriptions - b.subscriptions)[0];
    if (typeof estate !== 'string') process.stdout.write(`\n${estateTable(estate, perSite)}`);
    if (typeof telemetry !== 'string') process.stdout.write(`\n${telemetryTable(telemetry)}`);
  }
  return unhealthyRuns > 0 || (typeof estate !== 'string' && !estateWithinBudget(estate)) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
