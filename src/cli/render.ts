import type { Diagnosis } from '../probe/diagnoses';
import { resolvedAddresses, type ReportedFinding, type RunReport, type VaultResult } from '../probe/report';
import { cleanText } from '../probe/sanitize';
import type { Severity, VaultStatus } from '../probe/types';

const MARK: Readonly<Record<VaultStatus, string>> = { healthy: 'OK  ', unhealthy: 'FAIL', unknown: '??  ' };
const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };
const INDENT = '              ';

function addresses(r: VaultResult): string {
  const all = resolvedAddresses(r.resolved);
  return all.length > 0 ? all.join(',') : (r.resolved.os.error ?? r.resolved.dns.error ?? '-');
}

function expected(r: VaultResult): string {
  if (r.expectation) return r.expectation.text;
  const ips = r.expected.filter((e) => e.ip !== null && e.connectionStatus === 'Approved').map((e) => e.ip);
  return ips.length > 0 ? ips.join(',') : '-';
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export interface TableOptions {
  /** Print the findings each diagnosis explains, indented under it. */
  readonly allFindings?: boolean;
}

/** One diagnosis: its root object and fix, then (with --all-findings) what it explains. */
function diagnosisLines(d: Diagnosis, r: VaultResult, options: TableOptions): string[] {
  const folded = d.explained.length > 0 ? `  (+${d.explained.length} explained)` : '';
  const out = [
    `      ${d.severity.toUpperCase().padEnd(7)} ${d.code}: ${d.object}${folded}`,
    `${INDENT}${d.message}`,
    `${INDENT}fix: ${d.remediation}`,
    ...d.fix.map((c, i) => `${INDENT}run${d.fix.length > 1 ? ` ${i + 1}` : ''}: ${c}`),
    ...d.confirm.map((c) => `${INDENT}check: ${c}`),
  ];
  if (options.allFindings) {
    for (const i of d.explained) {
      const f: ReportedFinding | undefined = r.findings[i];
      if (f) out.push(`${INDENT}  ${f.severity.toUpperCase().padEnd(7)} ${f.code}: ${f.message}`);
    }
  }
  return out;
}

/** One line per broken object across the run: its diagnosis, the vaults it breaks, the site. */
function summaryLines(report: RunReport): string[] {
  const groups = new Map<string, { d: Diagnosis; vaults: string[] }>();
  for (const r of report.results) {
    for (const d of r.diagnoses) {
      const key = `${d.code}|${(d.resourceId ?? d.object).toLowerCase()}`;
      const g = groups.get(key) ?? { d, vaults: [] };
      if (RANK[d.severity] < RANK[g.d.severity]) g.d = d;
      if (!g.vaults.includes(r.vault)) g.vaults.push(r.vault);
      groups.set(key, g);
    }
  }
  if (groups.size === 0) return [];
  const rows = [...groups.values()].sort(
    (a, b) => RANK[a.d.severity] - RANK[b.d.severity] || b.vaults.length - a.vaults.length,
  );
  const width = Math.max(...rows.map((g) => g.d.code.length));
  return [
    '',
    `Diagnoses by object (${rows.length}), site ${report.location}:`,
    ...rows.map(
      (g) =>
        `  ${g.d.severity.toUpperCase().padEnd(7)} ${g.d.code.padEnd(width)}  ${g.d.object}  vaults: ${g.vaults.join(', ')}`,
    ),
  ];
}

/** The table for people: one line per vault, then one line per diagnosis with its root object and fix. */
export function renderTable(report: RunReport, options: TableOptions = {}): string {
  const rows = report.results.map((r) => [
    MARK[r.status],
    r.vault,
    r.host ?? '-',
    addresses(r),
    expected(r),
    String(r.diagnoses.length),
  ]);
  const header = ['', 'VAULT', 'HOST', 'RESOLVES TO', 'EXPECTED', 'DIAGNOSES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  out.push(
    `kvprobe: ${report.results.length} vault(s) from ${report.location} at ${report.startedAt} in ${Math.round(report.durationMs)} ms`,
  );
  for (const hint of report.hints ?? []) out.push(`Hint: ${hint}`);
  out.push('');
  out.push(line(header));
  for (const [i, r] of report.results.entries()) {
    out.push(line(rows[i] ?? []));
    for (const d of r.diagnoses) out.push(...diagnosisLines(d, r, options));
  }
  if (report.results.some((r) => r.expectation?.assumed)) {
    out.push('');
    out.push(
      '~ in EXPECTED: assumed, not known. Without --vnet the probe does not know which VNet it runs in, so it expects every approved endpoint of the vault; give --vnet to judge what this VNet should see.',
    );
  }
  if (!options.allFindings && report.results.some((r) => r.diagnoses.some((d) => d.explained.length > 0)))
    out.push('(+N explained): findings that follow from the diagnosis above them; --all-findings prints them.');
  out.push(...summaryLines(report));
  const s = report.summary;
  out.push('');
  out.push(
    `${s.vaults} probed: ${s.healthy} healthy, ${s.unhealthy} unhealthy, ${s.unknown} unknown; ${s.skipped} skipped (no private endpoint).`,
  );
  if (report.azureDns?.stopped) {
    out.push(
      `Note: Azure DNS was not asked for the rest of the run after its first timeout: ${report.azureDns.reason ?? 'timeout'} (asked ${report.azureDns.asked}, skipped ${report.azureDns.skipped}).`,
    );
  }
  for (const c of report.inventory?.fromCache ?? []) {
    out.push(
      `Note: ARM ${c.kind} of subscription ${c.subscriptionId} came from the previous run (${Math.round(c.ageMs / 1000)} s old): ${c.reason}.`,
    );
  }
  // Every cell can hold text from ARM or DNS: the terminal gets no control character, whatever got this far.
  return out.map((l) => cleanText(l, Number.MAX_SAFE_INTEGER)).join('\n') + '\n';
}

/** 0 all healthy; 1 any unhealthy; 3 none unhealthy but some unknown. */
export function exitCodeFor(report: RunReport): number {
  if (report.summary.unhealthy > 0) return 1;
  if (report.summary.unknown > 0) return 3;
  return 0;
}
