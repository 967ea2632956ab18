import type { EstateReport, EstateStatus } from '../probe/estate';
import { escapeHtml as esc } from './escape';

/** Rows and columns drawn at most: a larger estate is summarised beneath the matrix. */
const MAX_ROWS = 300;
const MAX_COLUMNS = 200;

const nameOf = (id: string): string => id.split('/').pop() ?? id;

const MARK: Record<EstateStatus, string> = { healthy: '✓', unhealthy: '✗', unknown: '?', unreachable: '–' };

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 6px;text-align:center}
th.v{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;max-height:12rem}
td.healthy{background:#d9f2d9}td.unhealthy{background:#f7c6c6}td.unknown{background:#eee}td.unreachable{background:#fff}
td.chain{text-align:left;white-space:nowrap;font-family:ui-monospace,monospace;font-size:12px}
.arrow{color:#888}ol li{margin:.3rem 0}code{font-size:12px}`;

/**
 * The estate as one self-contained HTML page: the ranked diagnoses with their fixes, then a matrix of VNets (rows)
 * by vaults (columns), each cell a pair's status, and each row's resolution chain drawn from the VNet to the
 * object that answers. Renders only what the report holds; no script, no remote resource.
 */
export function renderEstateHtml(r: EstateReport, opts: { version?: string } = {}): string {
  const vaults = r.vaultNames;
  const shown = vaults.slice(0, MAX_COLUMNS);
  const STATUS: Record<string, EstateStatus> = { '.': 'healthy', x: 'unhealthy', '?': 'unknown', '-': 'unreachable' };
  const rows = r.vnets.slice(0, MAX_ROWS).map((v) => {
    const byVault = new Map(v.results.map((x) => [x.vault, x]));
    const cells = shown
      .map((name, i) => {
        const pair = byVault.get(name);
        const status: EstateStatus = STATUS[v.matrix[i] ?? '.'] ?? 'healthy';
        const title = `${nameOf(v.vnetId)} / ${name}: ${status}${pair && pair.diagnoses.length > 0 ? ` (${pair.diagnoses.map((d) => `${d.code} ${d.object}`).join('; ')})` : ''}`;
        return `<td class="${status}" title="${esc(title)}">${MARK[status]}</td>`;
      })
      .join('');
    const chain = [
      ...v.resolvedBy.map(nameOf),
      ...(v.server ? [`DNS server ${v.server}${v.queriedBy ? ` (asked by ${v.queriedBy})` : ''}`] : []),
    ]
      .map((c) => esc(c))
      .join(' <span class="arrow">→</span> ');
    return `<tr><th>${esc(nameOf(v.vnetId))}</th><td>${esc(v.coverage)}</td>${cells}<td class="chain">${chain}</td></tr>`;
  });
  const s = r.summary;
  const diagnoses = r.diagnoses
    .map(
      (d) =>
        `<li><strong>${esc(d.code)}</strong> ${esc(d.message)} <em>(${d.pairs} pairs, ${d.vaults} vaults, ${d.vnets.length} VNets)</em><br><code>${esc(d.command ?? '')}</code></li>`,
    )
    .join('');
  const more =
    vaults.length > shown.length || r.vnets.length > rows.length
      ? `<p>Drawn: ${rows.length} of ${r.vnets.length} VNets, ${shown.length} of ${vaults.length} vaults.</p>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kvprobe map</title><style>${STYLE}</style></head><body>
<h1>Estate map</h1>
<p>${s.vnets} VNets × ${s.vaults} vaults: ${s.status.healthy} healthy, ${s.status.unhealthy} unhealthy, ${s.status.unknown} unknown, ${s.status.unreachable} unreachable by design. Coverage: ${s.coverage.observed} observed, ${s.coverage.queried} queried, ${s.coverage.predicted} predicted, ${s.coverage.unknown} unknown.</p>
<h2>Diagnoses, by broken pairs</h2>
${diagnoses ? `<ol>${diagnoses}</ol>` : '<p>None.</p>'}
<h2>VNets by vaults</h2>
<table><thead><tr><th>VNet</th><th>coverage</th>${shown.map((n) => `<th class="v">${esc(n)}</th>`).join('')}<th>resolution chain</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${more}
<p><small>kvprobe ${esc(opts.version ?? '')} · ${esc(r.generatedAt)} · ${esc(r.location)}</small></p>
</body></html>
`;
}
