import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEASUREMENTS_DIR, REPO_ROOT, writeMeasurement } from './figures';

/**
 * `npm run mutate` (StrykerJS, stryker.config.json) leaves its full report in docs/measurements/stryker-incremental.json
 * (the incremental file a rerun starts from). This reads it and writes docs/measurements/mutation.json: per area of
 * the pure core, how many mutants were killed, survived, had no covering test, timed out or did not compile, and the
 * score; and every surviving mutant, so the equivalent ones can be named (test/lab/mutation-equivalent.ts).
 */
export const INCREMENTAL_FILE = 'stryker-incremental.json';

/** The areas `npm run mutate` mutates (stryker.config.json's `mutate`), by path prefix. */
export const MUTATION_AREAS: readonly string[] = [
  'src/probe/checks/',
  'src/probe/expectation.ts',
  'src/probe/connectivity.ts',
  'src/probe/network-info.ts',
  'src/probe/diagnoses/',
];

interface ReportMutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportMutant[] }>>;
}

export interface MutantRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly mutator: string;
  readonly replacement: string;
}

export interface AreaCounts {
  readonly area: string;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly compileError: number;
  readonly ignored: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage): Stryker's mutation score, as a fraction. */
  readonly score: number;
}

export interface MutationFile {
  readonly stryker: string;
  /**
   * How many mutants Stryker instrumented in its last run (from its log, `stryker.log`): more than the report holds
   * when that run was interrupted before the end; `npm run mutate` then continues from the report.
   */
  readonly instrumented: number | null;
  /** Mutants the report holds. */
  readonly reported: number;
  readonly areas: readonly AreaCounts[];
  readonly total: AreaCounts;
  readonly survivors: readonly MutantRef[];
  readonly noCoverage: readonly MutantRef[];
}

function counts(area: string, mutants: readonly ReportMutant[]): AreaCounts {
  const n = (status: string): number => mutants.filter((m) => m.status === status).length;
  const killed = n('Killed');
  const timeout = n('Timeout');
  const survived = n('Survived');
  const noCoverage = n('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return {
    area,
    killed,
    timeout,
    survived,
    noCoverage,
    compileError: n('CompileError'),
    ignored: n('Ignored'),
    score: valid > 0 ? Math.round(((killed + timeout) / valid) * 10_000) / 10_000 : 0,
  };
}

/** The summary of a Stryker report (the incremental file's JSON). */
export function summarize(report: Report, stryker: string, instrumented: number | null = null): MutationFile {
  const files = Object.entries(report.files).filter(([f]) => MUTATION_AREAS.some((a) => f.startsWith(a)));
  const refs = (status: string): MutantRef[] =>
    files
      .flatMap(([file, r]) =>
        r.mutants
          .filter((m) => m.status === status)
          .map((m) => ({
            file,
            line: m.location.start.line,
            column: m.location.start.column,
            mutator: m.mutatorName,
            replacement: m.replacement ?? '',
          })),
      )
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return {
    stryker,
    instrumented,
    reported: files.reduce((n, [, r]) => n + r.mutants.length, 0),
    areas: MUTATION_AREAS.map((a) =>
      counts(
        a,
        files.filter(([f]) => f.startsWith(a)).flatMap(([, r]) => r.mutants),
      ),
    ),
    total: counts(
      'all',
      files.flatMap(([, r]) => r.mutants),
    ),
    survivors: refs('Survived'),
    noCoverage: refs('NoCoverage'),
  };
}

/**
 * `node dist/test/lab/mutation-summary.js [--write] [--log <stryker.log>]`: prints (and writes)
 * docs/measurements/mutation.json.
 */
function main(argv: readonly string[]): number {
  const path = join(REPO_ROOT, MEASUREMENTS_DIR, INCREMENTAL_FILE);
  if (!existsSync(path)) {
    process.stderr.write(`${path} is missing: run npm run mutate\n`);
    return 1;
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  const pkg = JSON.parse(
    readFileSync(join(REPO_ROOT, 'node_modules', '@stryker-mutator', 'core', 'package.json'), 'utf8'),
  ) as { version: string };
  const logAt = argv.includes('--log') ? argv[argv.indexOf('--log') + 1] : join(REPO_ROOT, 'stryker.log');
  const log = logAt && existsSync(logAt) ? readFileSync(logAt, 'utf8') : '';
  const counts = [...log.matchAll(/Instrumented \d+ source file\(s\) with (\d+) mutant/g)].map((m) => Number(m[1]));
  const summary = summarize(report, pkg.version, counts.at(-1) ?? null);
  if (argv.includes('--write')) process.stderr.write(`wrote ${writeMeasurement('mutation', summary)}\n`);
  process.stdout.write(`${JSON.stringify(summary.areas.concat(summary.total), null, 2)}\n`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
