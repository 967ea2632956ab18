import * as fc from 'fast-check';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { VaultResult } from '../../src/probe/report';
import type { ArmRequestLog, ArmResource } from './arm-emulator';
import { lastJsonLine, writeMeasurement, type FuzzFile } from './figures';
import { inLabNamespace, Lab } from './lab';
import { runCli, runInNamespace } from './run';
import { SUB_APP, SUB_NET, type Scenario } from './scenario';

/**
 * Property-based fuzzing of ARM payloads (issues 11 and 22). The lab holds three healthy vaults with four private
 * endpoints. Each case changes one or two of them: in each, one value inside the `properties` of the vault, one of its
 * endpoints, one of their NICs or its record set in the privatelink zone is replaced by a value of another kind
 * (null, a number, a boolean, a unicode or huge string, an array, an object) or removed. The CLI process then runs
 * against the lab, and the property holds when:
 * - it prints parseable JSON with one result per vault and exits 0, 1 or 3 within its deadline;
 * - the emulator's request log shows each mutated value served (a response carrying the resource with that value);
 * - a mutation of a field the probe reads (READ_FIELDS, a literal list) changes that vault's result: the probe read it;
 * - every vault whose resources were left alone keeps its healthy result, equal to the unmutated run's.
 * `fc.assert` shrinks a failing case to its smallest form. Only `properties` is mutated: the probe's inventory read
 * (Resource Graph) projects `id`, `name` and `properties`, so a change anywhere else never reaches it.
 */
const DEADLINE_MS = 8000;
/** A case's CLI must be done within its deadline plus this (process start, the last step's timeout, JSON out). */
export const FUZZ_WALL_MARGIN_MS = 3500;

export const FUZZ_SCENARIO: Scenario = {
  name: 'fuzz-neighbours',
  description: 'Three healthy vaults, one with a second endpoint in another VNet and subscription: the fuzzing lab.',
  subscriptions: [SUB_APP, SUB_NET],
  vaults: [
    { name: 'kv-fuzz-a', endpoints: [{ name: 'pe-fuzz-a', ip: '10.10.71.4' }] },
    {
      name: 'kv-fuzz-b',
      endpoints: [
        { name: 'pe-fuzz-b', ip: '10.10.72.4' },
        { name: 'pe-fuzz-b-spoke', ip: '10.20.72.4', subscription: SUB_NET, zone: 'dns-spoke' },
      ],
    },
    { name: 'kv-fuzz-c', endpoints: [{ name: 'pe-fuzz-c', ip: '10.10.73.4' }] },
  ],
  deadlineMs: DEADLINE_MS,
  timeoutMs: 2000,
  expect: {
    'kv-fuzz-a': { status: 'healthy', codes: [], severities: [] },
    'kv-fuzz-b': { status: 'healthy', codes: [], severities: [] },
    'kv-fuzz-c': { status: 'healthy', codes: [], severities: [] },
  },
};

/** A mutation class: a field of a resource type (`#` stands for an array index), for some value kinds or all. */
export interface FieldClass {
  readonly type: string;
  readonly field: string;
  readonly kinds?: readonly string[];
}

/**
 * Fields the probe reads: a mutation of one of them (to one of `kinds`, default any) must change the vault's result.
 * Written from the REST reference and the report's fields; a calibration run (one CLI run per field and kind) found
 * that mutating `vaultUri`, an endpoint's `networkInterfaces` or a NIC's `ipConfigurations` to another value of the
 * right type changes nothing in the result, so those are fuzzed but not listed here.
 */
export const READ_FIELDS: readonly FieldClass[] = [
  { type: 'vaults', field: 'properties.publicNetworkAccess' },
  { type: 'vaults', field: 'properties.privateEndpointConnections' },
  { type: 'vaults', field: 'properties.privateEndpointConnections.#.properties.privateEndpoint.id' },
  {
    type: 'vaults',
    field: 'properties.privateEndpointConnections.#.properties.privateLinkServiceConnectionState.status',
  },
  { type: 'A', field: 'properties.aRecords', kinds: ['removed', 'null', 'array'] },
  { type: 'A', field: 'properties.aRecords.#.ipv4Address' },
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = readonly (string | number)[];

/** Every path to a value inside `value`, objects and arrays included. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function setAt(root: ArmResource, path: Path, value: Json | undefined): ArmResource {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  const last = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete (node as Record<string | number, unknown>)[last];
  } else (node as Record<string | number, unknown>)[last] = value;
  return copy as ArmResource;
}

const valueArb: fc.Arbitrary<{ kind: string; value: Json | undefined }> = fc.oneof(
  fc.constant({ kind: 'removed', value: undefined }),
  fc.constant({ kind: 'null', value: null }),
  fc.integer().map((n) => ({ kind: 'number', value: n })),
  fc.boolean().map((b) => ({ kind: 'boolean', value: b })),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => ({ kind: 'unicode string', value: s })),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => ({ kind: 'huge string', value: 'x'.repeat(n) })),
  fc
    .constantFrom('10.10.33.4', '999.1.1.1', '::1', '../../x', 'Approved', 'Succeeded', '\u001b[2J\r\nforged')
    .map((s) => ({ kind: 'string', value: s })),
  fc
    .array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 4 })
    .map((a) => ({ kind: 'array', value: a })),
  fc.constant<{ kind: string; value: Json }>({ kind: 'object', value: { unexpected: { nested: [1, 'two', null] } } }),
);

/** The resource type of an ARM ID: the segment before its name (`vaults`, `privateEndpoints`, `A`, …). */
const typeOf = (id: string): string => id.split('/').at(-2) ?? '';
const pattern = (path: Path): string => path.map((k) => (typeof k === 'number' ? '#' : k)).join('.');
const inClass = (classes: readonly FieldClass[], m: Mutation): boolean =>
  classes.some(
    (c) => c.type === typeOf(m.resource.id) && c.field === pattern(m.path) && (c.kinds ?? [m.kind]).includes(m.kind),
  );

export interface Mutation {
  readonly vault: string;
  readonly resource: ArmResource;
  readonly path: Path;
  readonly kind: string;
  readonly value: Json | undefined;
}

/** The resources each vault alone owns: the vault, its endpoints, their NICs and its A record set. */
function ownedResources(all: readonly ArmResource[], vault: string): ArmResource[] {
  const byId = new Map(all.map((r) => [r.id.toLowerCase(), r]));
  const own = all.filter((r) => /\/vaults\/[^/]+$/i.test(r.id) && r.id.toLowerCase().endsWith(`/${vault}`));
  const endpointIds = own.flatMap((v) =>
    ((getAt(v, ['properties', 'privateEndpointConnections']) as unknown[] | undefined) ?? []).map((c) =>
      String(getAt(c, ['properties', 'privateEndpoint', 'id'])).toLowerCase(),
    ),
  );
  const endpoints = endpointIds.flatMap((id) => byId.get(id) ?? []);
  const nics = endpoints.flatMap((e) =>
    ((getAt(e, ['properties', 'networkInterfaces']) as unknown[] | undefined) ?? []).flatMap(
      (n) => byId.get(String(getAt(n, ['id'])).toLowerCase()) ?? [],
    ),
  );
  const records = all.filter((r) => /\/privateDnsZones\/[^/]+\/A\/[^/]+$/i.test(r.id) && r.id.endsWith(`/${vault}`));
  return [...own, ...endpoints, ...nics, ...records];
}

/** What a vault's result says, without timings and run IDs: equal for two runs that saw the same thing. */
function verdict(r: VaultResult | undefined): unknown {
  if (!r) return undefined;
  return {
    status: r.status,
    host: r.host,
    publicNetworkAccess: r.publicNetworkAccess,
    expected: r.expected,
    resolved: [r.resolved.os.addresses, r.resolved.dns.addresses],
    findings: r.findings.map((f) => f.code).sort(),
  };
}

/** Whether a response in `log` carried the resource of `m` with its mutated value (or without the removed one). */
function served(log: readonly ArmRequestLog[], m: Mutation, mutated: ArmResource): boolean {
  const id = m.resource.id.toLowerCase();
  const want = getAt(mutated, m.path.slice(0, 1));
  return log.some((entry) => {
    if (entry.status !== 200 || !entry.response?.toLowerCase().includes(id)) return false;
    const found: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o['id'] === 'string' && o['id'].toLowerCase() === id) found.push(o);
        else Object.values(o).forEach(walk);
      }
    };
    walk(JSON.parse(entry.response) as unknown);
    return found.some((o) => isDeepStrictEqual(getAt(o, m.path.slice(0, 1)), want));
  });
}

export interface FuzzCase {
  readonly mutations: readonly string[];
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly problems: readonly string[];
}

export interface FuzzOutcome {
  readonly seed: number;
  readonly runs: number;
  /** Every case run, the shrinking steps included, in order. */
  readonly cases: readonly FuzzCase[];
  /** fast-check's report when the property failed: the seed, the shrunk counterexample and its problems. */
  readonly failure: string | null;
  /** How many cases exited 0, 1 and 3 (a property where every case is unknown fails). */
  readonly exits: Readonly<Record<string, number>>;
  /** Mutations of READ_FIELDS, whose vault's result had to change. */
  readonly readChecked: number;
  readonly wallMs: number;
}

const describeMutation = (m: Mutation): string =>
  `${m.resource.id.split('/').slice(-2).join('/')} ${m.path.join('.')} := ${m.kind}`;

/** Runs the property for `runs` cases drawn from `seed`; must run inside the lab's namespace. */
export async function fuzz(seed: number, runs: number, budgetMs = 100_000): Promise<FuzzOutcome> {
  const started = performance.now();
  const lab = await Lab.start(FUZZ_SCENARIO, 'namespace');
  lab.arm.recordResponses = true;
  try {
    const all = lab.compiled.resources;
    const vaults = FUZZ_SCENARIO.vaults.map((v) => v.name);
    const baseline = await runCli(lab);
    const before = new Map(vaults.map((v) => [v, baseline.report?.results.find((r) => r.vault === v)]));
    const unhealthy = vaults.filter((v) => before.get(v)?.status !== 'healthy' || before.get(v)?.findings.length);
    if (baseline.exitCode !== 0 || unhealthy.length)
      throw new Error(`the unmutated lab is not healthy (exit ${baseline.exitCode}; ${unhealthy.join(', ')})`);

    const mutationArb = (vault: string): fc.Arbitrary<Mutation> => {
      const owned = ownedResources(all, vault);
      return fc.constantFrom(...owned).chain((resource) =>
        fc
          .tuple(fc.constantFrom(...paths(resource).filter((p) => p[0] === 'properties' && p.length > 1)), valueArb)
          .filter(([path, { value }]) => !isDeepStrictEqual(getAt(resource, path), value))
          .map(([path, { kind, value }]) => ({ vault, resource, path, kind, value })),
      );
    };
    // One or two of the three vaults, so at least one neighbour is always left alone.
    const caseArb = fc
      .subarray(vaults, { minLength: 1, maxLength: vaults.length - 1 })
      .chain((chosen) => fc.tuple<Mutation[]>(...chosen.map(mutationArb)));

    const cases: FuzzCase[] = [];
    const exits: Record<string, number> = {};
    let readChecked = 0;
    const property = fc.asyncProperty(caseArb, async (mutations) => {
      const mutated = mutations.map((m) => setAt(m.resource, m.path, m.value));
      mutated.forEach((r) => lab.arm.put(r));
      lab.arm.requests.splice(0);
      const t0 = performance.now();
      const cli = await runCli(lab);
      const wallMs = Math.round(performance.now() - t0);
      mutations.forEach((m) => lab.arm.put(m.resource));
      const log = lab.arm.requests.splice(0);
      const results = cli.report?.results ?? [];
      const result = (v: string): VaultResult | undefined => results.find((r) => r.vault === v);
      const touched = new Set(mutations.map((m) => m.vault));
      readChecked += mutations.filter((m) => inClass(READ_FIELDS, m)).length;
      const counted = (cli.report?.summary.vaults ?? 0) + (cli.report?.summary.skipped ?? 0);
      const neighbourOk = (v: string): boolean => isDeepStrictEqual(verdict(result(v)), verdict(before.get(v)));
      const problems = [
        cli.report ? '' : `stdout is not JSON: ${cli.stdout.slice(0, 200)}`,
        [0, 1, 3].includes(cli.exitCode ?? -1) ? '' : `exit ${cli.exitCode}: ${cli.stderr.slice(0, 300)}`,
        counted === vaults.length ? '' : `${counted} results and skips for ${vaults.length} vaults`,
        wallMs < DEADLINE_MS + FUZZ_WALL_MARGIN_MS ? '' : `took ${wallMs} ms`,
        ...mutations.map((m, i) =>
          served(log, m, mutated[i] as ArmResource) ? '' : `not served: ${describeMutation(m)}`,
        ),
        ...mutations.map((m) =>
          !inClass(READ_FIELDS, m) || !isDeepStrictEqual(verdict(result(m.vault)), verdict(before.get(m.vault)))
            ? ''
            : `not read (${m.vault}'s result unchanged): ${describeMutation(m)}`,
        ),
        ...vaults
          .filter((v) => !touched.has(v))
          .map((v) => (neighbourOk(v) ? '' : `neighbour ${v} changed: ${JSON.stringify(verdict(result(v)))}`)),
      ].filter(Boolean);
      const key = String(cli.exitCode);
      exits[key] = (exits[key] ?? 0) + 1;
      cases.push({ mutations: mutations.map(describeMutation), exitCode: cli.exitCode, wallMs, problems });
      if (problems.length) throw new Error(problems.join('; '));
    });
    let failure: string | null = null;
    try {
      // Shrinking reruns the CLI per step: past the budget, fast-check reports the smallest case found so far.
      await fc.assert(property, {
        seed,
        numRuns: runs,
        interruptAfterTimeLimit: budgetMs,
        markInterruptAsFailure: true,
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (!failure && exits['3'] === cases.length)
      failure = `every one of ${cases.length} cases exited 3: the probe judged nothing`;
    return {
      seed,
      runs,
      cases,
      failure,
      exits,
      readChecked,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    await lab.stop();
  }
}

/** docs/measurements/fuzz.json (test/lab/figures.ts renders it into docs/DESIGN.md). */
function writeFigures(o: FuzzOutcome): void {
  const walls = o.cases.map((c) => c.wallMs).sort((a, b) => a - b);
  const file: FuzzFile = {
    node: process.versions.node,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    seed: o.seed,
    runs: o.runs,
    vaults: FUZZ_SCENARIO.vaults.length,
    endpoints: FUZZ_SCENARIO.vaults.flatMap((v) => v.endpoints ?? []).length,
    cases: o.cases.length,
    exits: o.exits,
    wallMs: o.wallMs,
    medianCaseMs: walls[Math.floor(walls.length / 2)] ?? 0,
    slowestCaseMs: walls.at(-1) ?? 0,
    readChecked: o.readChecked,
    failure: o.failure,
  };
  process.stderr.write(`wrote ${writeMeasurement('fuzz', file)}\n`);
}

/** `node dist/test/lab/fuzz.js --runs <n> [--seed <s>] [--write]`: one FuzzOutcome as JSON; --write also records it. */
async function main(argv: readonly string[]): Promise<number> {
  const arg = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  if (!inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    if (r.status === 0 && argv.includes('--write')) writeFigures(lastJsonLine<FuzzOutcome>(r.stdout));
    return r.status ?? 1;
  }
  const seed = Number(arg('--seed') ?? Date.now() % 2 ** 31);
  const runs = Number(arg('--runs') ?? 25);
  process.stdout.write(JSON.stringify(await fuzz(seed, runs)) + '\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
