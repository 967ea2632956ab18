import { resolvedAddresses, type RunReport, type VaultResult } from '../probe/report';
import { cleanText } from '../probe/sanitize';
import type { VaultStatus } from '../probe/types';

const MARK: Readonly<Record<VaultStatus, string>> = { healthy: 'OK  ', unhealthy: 'FAIL', unknown: '??  ' };

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

/** The table for people: one line per vault, then its findings with their fixes. */
export function renderTable(report: RunReport): string {
  const rows = report.results.map((r) => [
    MARK[r.status],
    r.vault,
    r.host ?? '-',
    addresses(r),
    expected(r),
    String(r.findings.length),
  ]);
  const header = ['', 'VAULT', 'HOST', 'RESOLVES TO', 'EXPECTED', 'FINDINGS'];
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
  out.push('');
  out.push(line(header));
  for (const [i, r] of report.results.entries()) {
    out.push(line(rows[i] ?? []));
    for (const f of r.findings) {
      out.push(`      ${f.severity.toUpperCase().padEnd(7)} ${f.code}: ${f.message}`);
      out.push(`              fix: ${f.remediation}`);
      for (const c of f.fix) out.push(`              run: ${c}`);
      for (const c of f.confirm) out.push(`              check: ${c}`);
    }
  }
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
