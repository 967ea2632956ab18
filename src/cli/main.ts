import { ConfigError, probeRequestFor } from '../config';
import { VERSION } from '../version';
import { parseCommand, scopeFromEnvironment, type CheckOptions } from './args';
import { findingCode, renderCodeList, renderCodePage, suggestCodes } from './explain';
import type { ScopeChoice } from '../probe/readable-scope';
import type { TerminalStyle } from './markdown';
import { renderHtmlReport } from '../report-html/page';
import type { RunReport } from '../probe/report';
import { cleanText } from '../probe/sanitize';
import { ProgressLine } from './progress';
import { filterReport } from './filter';
import { exitCodeFor, renderTable } from './render';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether each stream is a terminal: progress goes to a terminal stderr only, colour to a terminal stdout. */
  readonly stdoutIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
  /** The terminals' widths, when they are terminals. */
  readonly columns?: number;
  readonly stderrColumns?: number;
}

function usageError(io: CliIo, problems: readonly string[], hint = 'Run "kvprobe --help" for usage.'): number {
  for (const p of problems) io.stderr(`kvprobe: error: ${p}\n`);
  io.stderr(`${hint}\n`);
  return 2;
}

/** How to style text for stdout: colour only on a terminal, never with NO_COLOR (https://no-color.org). */
function stdoutStyle(io: CliIo): TerminalStyle {
  const noColor = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
  return {
    color: io.stdoutIsTTY === true && !noColor && io.env['TERM'] !== 'dumb',
    width: Math.max(40, Math.min(io.columns ?? 80, 100)),
  };
}

function explain(code: string | undefined, io: CliIo): number {
  const style = stdoutStyle(io);
  if (code === undefined) {
    io.stdout(renderCodeList(style));
    return 0;
  }
  const known = findingCode(code);
  if (!known) {
    const near = suggestCodes(code);
    return usageError(
      io,
      [`"${code}" is not a finding code.${near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : ''}`],
      'Run "kvprobe explain" for the list of codes.',
    );
  }
  io.stdout(renderCodePage(known, style));
  return 0;
}

/** What the run will probe when no scope was given: how many subscriptions, and how it reads them. */
export function scopeNotice(c: ScopeChoice): string {
  const skipped = Object.entries(c.skipped).map(([state, n]) => `${n} ${state}`);
  const how =
    c.inventory === 'resource-graph'
      ? `through Resource Graph (${c.requests['resource-graph']} requests; per-subscription lists: ${c.requests.batched})`
      : `with per-subscription lists (${c.requests.batched} requests; Resource Graph: ${c.requests['resource-graph']})`;
  return `kvprobe: scope: ${c.subscriptions.length} subscription${c.subscriptions.length === 1 ? '' : 's'} this identity can read${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}, read ${how}`;
}

/**
 * When no credential gave a token (every result is CREDENTIAL_UNAVAILABLE): one line, one line per credential tried,
 * and the fix. Undefined otherwise.
 */
export function credentialProblem(report: RunReport): string | undefined {
  const found = report.results.map((r) => r.findings.find((f) => f.code === 'CREDENTIAL_UNAVAILABLE'));
  const first = found[0];
  if (!first || found.some((f) => !f)) return undefined;
  const tried = (first.details as { tried?: unknown }).tried;
  const lines = Array.isArray(tried) ? tried.map((t) => `  tried: ${cleanText(String(t), 200)}`) : [];
  return [
    `kvprobe: no credential: nothing was read, no vault was probed (exit 3).`,
    ...lines,
    `  fix: az login (or azd auth login); in Azure, a managed identity with AZURE_CLIENT_ID set to its client ID; or export KVPROBE_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv).`,
    '',
  ].join('\n');
}

/** The CLI: parse, run the engine, render, choose the exit code. Returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    if (error instanceof ConfigError)
      return usageError(io, error.problems, argv[0] === 'check' ? 'Run "kvprobe check --help" for usage.' : undefined);
    throw error;
  }
  switch (parsed.kind) {
    case 'help':
      io.stdout(parsed.text);
      return 0;
    case 'usage':
      io.stderr(parsed.text);
      return 2;
    case 'version':
      io.stdout(`kvprobe ${VERSION}\n`);
      return 0;
    case 'explain':
      return explain(parsed.code, io);
    case 'check':
    case 'map':
      break;
  }
  for (const w of parsed.options.warnings ?? []) io.stderr(`kvprobe: warning: ${w}\n`);
  let o: ReturnType<typeof scopeFromEnvironment>;
  try {
    o = scopeFromEnvironment(parsed.options, io.env);
  } catch (error) {
    if (error instanceof ConfigError) return usageError(io, error.problems, 'Run "kvprobe check --help" for usage.');
    throw error;
  }
  if (parsed.kind === 'map') return mapCommand(o, io);
  // The engine pulls in the Azure SDKs: loaded only for a probe, so help, version and explain start at once.
  const [{ probeDepsFor }, { runProbe }] = await Promise.all([import('../engine'), import('../probe/pipeline')]);
  // Progress only where a person watches: a terminal on stderr, and not --quiet. Pipes and files get nothing.
  const line =
    io.stderrIsTTY === true && !o.quiet
      ? new ProgressLine({ write: io.stderr, ...(io.stderrColumns ? { columns: io.stderrColumns } : {}) }).start()
      : undefined;
  const notice = (text: string): void => {
    if (o.quiet) return;
    if (line) line.note(text);
    else io.stderr(`${text}\n`);
  };
  if (o.scopeFrom === 'AZURE_SUBSCRIPTION_ID')
    notice(`kvprobe: scope: subscription ${o.subscriptions[0] ?? ''} (AZURE_SUBSCRIPTION_ID)`);
  let report;
  try {
    const deps = probeDepsFor(
      o,
      io.env,
      o.defaultScope ? { readableScope: { onScope: (c) => notice(scopeNotice(c)) } } : {},
    );
    report = await runProbe(
      probeRequestFor(o, { dataplane: o.dataplane }),
      line ? { ...deps, progress: (e) => line.update(e) } : deps,
    );
  } finally {
    line?.stop();
  }
  const noCredential = credentialProblem(report);
  if (noCredential && o.output === 'table') {
    // Nothing was read: no table of a scope that is no vault, one clear account of what was tried and the fix.
    io.stderr(noCredential);
    return 3;
  }
  // The filters choose what is shown; the exit code counts every vault of the run.
  const shown = filterReport(report, { statuses: o.statuses, codes: o.codes });
  io.stdout(
    o.output === 'json'
      ? JSON.stringify(shown, null, 2) + '\n'
      : o.output === 'html'
        ? renderHtmlReport(shown, { version: VERSION })
        : renderTable(shown, { allFindings: o.allFindings }),
  );
  return exitCodeFor(report);
}

/** `kvprobe map`: the estate from ARM alone (src/probe/estate), rendered as a table, JSON or an HTML matrix. */
async function mapCommand(o: CheckOptions, io: CliIo): Promise<number> {
  const [{ probeDepsFor }, { runMap }, { renderEstateTable }, { renderEstateHtml }] = await Promise.all([
    import('../engine'),
    import('../probe/estate'),
    import('./map-render'),
    import('../report-html/estate'),
  ]);
  const deps = probeDepsFor(o, io.env);
  const report = await runMap(probeRequestFor(o, { dataplane: false }), deps, {
    ...(o.vnetId ? { observedVnets: [o.vnetId] } : {}),
    queryDns: o.queryDns,
  });
  io.stdout(
    o.output === 'json'
      ? JSON.stringify(report, null, 2) + '\n'
      : o.output === 'html'
        ? renderEstateHtml(report, { version: VERSION })
        : renderEstateTable(report),
  );
  const st = report.summary.status;
  return st.unhealthy > 0 ? 1 : st.unknown > 0 || report.errors.length > 0 ? 3 : 0;
}

/** Entry point of bin/kvprobe. */
export function run(): void {
  // `kvprobe explain | head`: a reader that went away is no error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    ...(process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
  }).then(
    (code) => exitAfterOutput(code),
    (error: unknown) => {
      process.stderr.write(
        `kvprobe: internal error (a bug: please report it with this message): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      exitAfterOutput(4);
    },
  );
}

/**
 * Exits once stdout and stderr are flushed, without waiting for what the run abandoned: a getaddrinfo stuck in a
 * thread-pool thread, a request past its deadline, an SDK timer. The report is the CLI's only product.
 */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  const done = (): void => {
    // Under bin/kvprobe's supervisor: it exits with this code at once, even if this process cannot (see there).
    if (process.send) process.send({ exitCode: code }, () => process.exit(code));
    else process.exit(code);
  };
  process.stdout.write('', () => process.stderr.write('', done));
}
