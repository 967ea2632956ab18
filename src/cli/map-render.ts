import type { EstateReport } from '../probe/estate';

/** The last segment of an ARM ID: a VNet's, a zone's, a link's name. */
const nameOf = (id: string | null): string => (id ? (id.split('/').pop() ?? id) : '-');

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [
    pad(head, widths),
    pad(
      widths.map((w) => '-'.repeat(w)),
      widths,
    ),
    ...rows.map((r) => pad(r, widths)),
  ];
}

/** Vaults drawn in the text matrix at most. */
const MATRIX_COLUMNS = 60;

/** VNets by vaults, one character per pair, the vaults numbered above. */
function matrix(r: EstateReport): string[] {
  const shown = r.vaultNames.slice(0, MATRIX_COLUMNS);
  const width = Math.max(4, ...r.vnets.map((v) => nameOf(v.vnetId).length));
  const out = [
    `Matrix (. healthy, x unhealthy, ? unknown, - unreachable by design)${shown.length < r.vaultNames.length ? `, first ${shown.length} of ${r.vaultNames.length} vaults` : ''}:`,
    ...shown.map((n, i) => `${' '.repeat(width + 2)}${'| '.repeat(i)}${n}`),
  ];
  for (const v of r.vnets)
    out.push(`${nameOf(v.vnetId).padEnd(width)}  ${[...v.matrix.slice(0, shown.length)].join(' ')}`);
  return out;
}

/**
 * The estate as text: the diagnoses ranked by the (VNet, vault) pairs each breaks, with the object to fix and its
 * command; then each VNet with its coverage, its resolution chain and its counts.
 */
export function renderEstateTable(r: EstateReport): string {
  const s = r.summary;
  const out: string[] = [
    `Estate: ${s.vnets} VNets x ${s.vaults} vaults = ${s.pairs} pairs: ${s.status.healthy} healthy, ${s.status.unhealthy} unhealthy, ${s.status.unknown} unknown, ${s.status.unreachable} unreachable by design.`,
    `Coverage: ${s.coverage.observed} observed, ${s.coverage.queried} queried, ${s.coverage.predicted} predicted, ${s.coverage.unknown} unknown.`,
    '',
  ];
  if (r.diagnoses.length > 0) {
    out.push(`Diagnoses (${r.diagnoses.length}), by broken pairs:`);
    out.push(
      ...table(
        ['#', 'CODE', 'OBJECT', 'VNETS', 'VAULTS', 'PAIRS'],
        r.diagnoses.map((d, i) => [
          String(i + 1),
          d.code,
          nameOf(d.resourceId),
          d.vnets.map(nameOf).join(','),
          String(d.vaults),
          String(d.pairs),
        ]),
      ),
    );
    out.push('');
    // As a site's table: the commands that change something as `run`, the reads as `check` (issue 19).
    r.diagnoses.forEach((d, i) =>
      out.push(
        `${i + 1}. ${d.message}`,
        `   object: ${d.object}`,
        ...d.fix.map((c, n) => `   run${d.fix.length > 1 ? ` ${n + 1}` : ''}: ${c}`),
        ...d.confirm.map((c) => `   check: ${c}`),
      ),
    );
    out.push('');
  } else out.push('No diagnosis: every VNet resolves every vault as its reach requires.', '');
  out.push(
    ...table(
      ['VNET', 'COVERAGE', 'HEALTHY', 'UNHEALTHY', 'UNKNOWN', 'UNREACHABLE', 'RESOLVED BY'],
      r.vnets.map((v) => [
        nameOf(v.vnetId),
        v.coverage,
        String(v.counts.healthy),
        String(v.counts.unhealthy),
        String(v.counts.unknown),
        String(v.counts.unreachable),
        [
          ...v.resolvedBy.map(nameOf),
          ...(v.server ? [`dns ${v.server}${v.queriedBy ? ` (asked by ${v.queriedBy})` : ''}`] : []),
        ].join(' > '),
      ]),
    ),
  );
  out.push('', ...matrix(r));
  if (r.errors.length > 0) {
    out.push('', `Not read (${r.errors.length}): what these lists hold stays unknown.`);
    for (const e of r.errors)
      out.push(`  ${e.operation} ${e.resourceId ?? ''}: ${e.statusCode ?? ''} ${e.code ?? e.message}`);
  }
  return `${out.join('\n')}\n`;
}
