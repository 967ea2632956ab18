import * as fc from 'fast-check';
import type { ArmResource } from './arm-emulator';
import { inLabNamespace, Lab } from './lab';
import { runCli, runInNamespace } from './run';
import { scenarioByName } from './scenarios';

/**
 * Property-based fuzzing of ARM payloads (issue 11): each case replaces one value somewhere in one of the lab's
 * vault, endpoint, NIC, zone, record set, link or VNet bodies with a value of another kind (null, a number, a
 * boolean, a huge or unicode string, an array, an object) or removes it, then runs the CLI process against the lab.
 * Every case must print parseable JSON with exactly one result per vault, and exit 0, 1 or 3 within its deadline.
 * Top-level `id`s are not mutated: the emulator files resources by them.
 */
const SCENARIO = 'custom-dns-not-forwarding';
const DEADLINE_MS = 8000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `value`, objects and arrays included. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: ArmResource, path: readonly (string | number)[], value: Json | undefined): ArmResource {
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

export interface FuzzCase {
  readonly resource: string;
  readonly path: string;
  readonly kind: string;
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly results: number;
  readonly ok: boolean;
  readonly problem?: string;
}

export interface FuzzOutcome {
  readonly seed: number;
  readonly runs: number;
  readonly cases: readonly FuzzCase[];
}

/** Runs `runs` mutations drawn from `seed`; must run inside the lab's namespace. */
export async function fuzz(seed: number, runs: number): Promise<FuzzOutcome> {
  const scenario = { ...scenarioByName(SCENARIO), deadlineMs: DEADLINE_MS, timeoutMs: 2000 };
  const lab = await Lab.start(scenario, 'namespace');
  try {
    const originals = lab.compiled.resources.filter((r) =>
      /\/(vaults|privateEndpoints|networkInterfaces|privateDnsZones|virtualNetworks)\//i.test(r.id),
    );
    const vaultCount = originals.filter((r) => /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(r.id)).length;
    const caseArb = fc.nat({ max: originals.length - 1 }).chain((i) => {
      const resource = originals[i] as ArmResource;
      const candidates = paths(resource).filter((p) => !(p.length === 1 && p[0] === 'id'));
      return fc.tuple(fc.constant(resource), fc.constantFrom(...candidates), valueArb);
    });
    const cases: FuzzCase[] = [];
    for (const [resource, path, { kind, value }] of fc.sample(caseArb, { seed, numRuns: runs })) {
      lab.arm.put(setAt(resource, path, value));
      const t0 = performance.now();
      const cli = await runCli(lab);
      const wallMs = Math.round(performance.now() - t0);
      lab.arm.put(resource);
      const results = cli.report?.results.length ?? -1;
      const counted = (cli.report?.summary.vaults ?? 0) + (cli.report?.summary.skipped ?? 0);
      const problems = [
        cli.report ? '' : 'stdout is not JSON',
        [0, 1, 3].includes(cli.exitCode ?? -1) ? '' : `exit ${cli.exitCode}: ${cli.stderr.slice(0, 300)}`,
        counted === vaultCount ? '' : `${counted} results and skips for ${vaultCount} vault(s)`,
        wallMs < DEADLINE_MS + 2000 + 1500 ? '' : `took ${wallMs} ms`,
      ].filter(Boolean);
      cases.push({
        resource: resource.id.split('/').slice(-2).join('/'),
        path: path.join('.'),
        kind,
        exitCode: cli.exitCode,
        wallMs,
        results,
        ok: problems.length === 0,
        ...(problems.length ? { problem: problems.join('; ') } : {}),
      });
    }
    return { seed, runs, cases };
  } finally {
    await lab.stop();
  }
}

/** `node dist/test/lab/fuzz.js --runs <n> [--seed <s>]`: one FuzzOutcome as JSON. */
async function main(argv: readonly string[]): Promise<number> {
  const arg = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  if (!inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
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
