import { createHash } from 'node:crypto';
import type { ReportedFinding, RunReport, VaultResult } from '../probe/report';
import type { VaultStatus } from '../probe/types';
import { escapeHtml as esc } from './escape';
import type { Diagnosis } from '../probe/diagnoses';
import { vaultPaths } from './path-model';
import { markRoots } from './roots';
import { renderPathSvg, SVG_DEFS, WIDE_WIDTH } from './svg';

/** Above this many vaults, healthy ones are listed in a table instead of drawn: the page stays light. */
export const DRAW_HEALTHY_UP_TO = 100;

const STATUS_ORDER: Readonly<Record<VaultStatus, number>> = { unhealthy: 0, unknown: 1, healthy: 2 };
const STATUS_MARK: Readonly<Record<VaultStatus, string>> = { unhealthy: '✗', unknown: '?', healthy: '✓' };

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--box:#f6f8fa;--bad:#c81e1e;--bad-bg:#fde8e8;--ok:#1a7f37;--ok-bg:#dafbe1;--unk:#9a6700;--unk-bg:#fff8c5}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
header.summary,main,footer{max-width:1280px;margin:0 auto;padding:0 16px}
header.summary{padding-top:16px;padding-bottom:8px;border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:19px;margin:0 0 4px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
h3{font-size:15px;margin:16px 0 6px}
.meta,.host,figcaption,footer{color:var(--muted);font-size:13px}
.host{margin:0 0 8px;overflow-wrap:anywhere}
.counts{list-style:none;display:flex;flex-wrap:wrap;gap:8px;padding:0;margin:10px 0}
.counts li{padding:3px 10px;border-radius:999px;border:1px solid var(--line);font-weight:600;font-size:14px}
.counts .unhealthy{background:var(--bad-bg);border-color:var(--bad);color:var(--bad)}
.counts .healthy{background:var(--ok-bg);border-color:var(--ok);color:var(--ok)}
.counts .unknown{background:var(--unk-bg);border-color:var(--unk);color:var(--unk)}
svg.bar{display:block;width:100%;height:8px;border-radius:4px;background:var(--line);margin:4px 0 10px}
.bar .healthy{fill:var(--ok)}.bar .unhealthy{fill:var(--bad)}.bar .unknown{fill:var(--unk)}
nav ol{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;margin:6px 0}
nav a{text-decoration:none;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
a.st-unhealthy,.st-unhealthy .badge{color:var(--bad)}
a.st-healthy,.st-healthy .badge{color:var(--ok)}
a.st-unknown,.st-unknown .badge{color:var(--unk)}
.badge{font-size:12px;font-weight:700;letter-spacing:.04em;border:1px solid currentColor;border-radius:4px;padding:0 6px}
section.vault{border-bottom:1px solid var(--line);padding:18px 0}
figure.paths{margin:0;overflow-x:auto}
svg.path{display:block;height:auto}
svg.path.wide{width:100%;min-width:900px;max-width:${WIDE_WIDTH}px}
svg.path.narrow{display:none;width:100%;max-width:480px;margin:0 auto}
svg.defs{position:absolute;width:0;height:0;overflow:hidden}
@media (max-width:980px){svg.path.wide{display:none}svg.path.narrow{display:block}}
.node rect{fill:var(--box);stroke:#8c959f;stroke-width:1}
.node.bad rect{fill:var(--bad-bg);stroke:var(--bad);stroke-width:2}
.node text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:var(--fg)}
.node .step{font:600 9.5px system-ui,sans-serif;letter-spacing:.06em;fill:var(--muted)}
.node .value{font-size:12px}
.node .note{font-size:10.5px;fill:var(--muted)}
.node .codes{font-size:10.5px;font-weight:700;fill:var(--bad)}
.node.bad .step,.node.bad .value{fill:var(--bad)}
.node.root rect{stroke-width:3.5;stroke-dasharray:7 3}
.node.warn rect{fill:var(--unk-bg);stroke:var(--unk);stroke-width:2}
.node.warn .codes,.node.warn .step{fill:var(--unk)}
.edge{fill:none;stroke:#8c959f;stroke-width:1.5}
.edge.bad{stroke:var(--bad);stroke-width:2}
.arrow{fill:#8c959f}.arrow.bad{fill:var(--bad)}
.lane-label{font:600 12px system-ui,sans-serif;fill:var(--muted)}
.divider{stroke:var(--line);stroke-dasharray:4 4}
ol.findings{list-style:none;padding:0;margin:0}
.finding{border-left:4px solid var(--line);padding:6px 0 6px 12px;margin:0 0 12px}
.finding.sev-error{border-color:var(--bad)}
.finding.sev-warning{border-color:var(--unk)}
.finding p{margin:2px 0;overflow-wrap:anywhere}
.finding .head code{font-weight:700}
.sev{font-size:12px;font-weight:700}
.sev-error .sev{color:var(--bad)}.sev-warning .sev{color:var(--unk)}.sev-info .sev{color:var(--muted)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.cmd{display:flex;gap:8px;align-items:flex-start;margin:6px 0}
.cmd pre{flex:1;margin:0;padding:8px 10px;background:var(--box);border:1px solid var(--line);border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
button.copy{font:inherit;font-size:13px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer;min-width:64px}
button.copy:hover{background:var(--box)}
table.healthy{border-collapse:collapse;font-size:13px}
table.healthy td,table.healthy th{padding:2px 12px 2px 0;text-align:left}
footer{padding:16px;font-size:12px}
@media print{
  button.copy,nav{display:none!important}
  svg.path.narrow{display:none!important}
  svg.path.wide{display:block!important;width:100%;min-width:0}
  figure.paths{overflow:visible}
  section.vault{break-inside:avoid-page}
  figure.paths,.finding{break-inside:avoid}
  a{color:inherit;text-decoration:none}
  body{font-size:12px}
}
`.trim();

/** Runs only where scripts may: shows the copy buttons and copies a command, or selects it when the clipboard is closed. */
const SCRIPT = `
document.querySelectorAll('button.copy').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var code = button.parentElement.querySelector('code');
    var text = code ? code.textContent : '';
    var say = function (label) { button.textContent = label; setTimeout(function () { button.textContent = 'Copy'; }, 2000); };
    var select = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say('Press Ctrl+C');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { say('Copied'); }, select);
    else select();
  });
});
`.trim();

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The page's Content-Security-Policy: nothing may load from anywhere; only this page's own style and script run.
 * The HTTP trigger sends it as a header too.
 */
export const HTML_REPORT_CSP = `default-src 'none'; style-src ${hash(CSS)}; script-src ${hash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

/** The counts, and a bar of the statuses drawn as SVG (widths as attributes: inline styles would need 'unsafe-inline'). */
function summaryBar(report: RunReport): string {
  const s = report.summary;
  const total = Math.max(1, s.healthy + s.unhealthy + s.unknown);
  let x = 0;
  const rects = (['unhealthy', 'unknown', 'healthy'] as const)
    .filter((k) => s[k] > 0)
    .map((k) => {
      const w = (s[k] / total) * 1000;
      const rect = `<rect class="${k}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="8"><title>${s[k]} ${k}</title></rect>`;
      x += w;
      return rect;
    })
    .join('');
  const bar = `<svg class="bar" viewBox="0 0 1000 8" preserveAspectRatio="none" role="img" aria-label="${s.unhealthy} unhealthy, ${s.unknown} unknown, ${s.healthy} healthy">${rects}</svg>`;
  const counts = [
    `<li>${s.vaults} vault${s.vaults === 1 ? '' : 's'}</li>`,
    `<li class="unhealthy">${s.unhealthy} unhealthy</li>`,
    `<li class="unknown">${s.unknown} unknown</li>`,
    `<li class="healthy">${s.healthy} healthy</li>`,
    ...(s.skipped > 0 ? [`<li>${s.skipped} skipped (no private endpoint)</li>`] : []),
  ].join('');
  return `<ul class="counts">${counts}</ul>${bar}`;
}

function findingItem(f: ReportedFinding): string {
  return [
    `<li class="finding sev-${esc(f.severity)}">`,
    `<p class="head"><span class="sev">${esc(f.severity.toUpperCase())}</span> <code>${esc(f.code)}</code> ${esc(f.title)}</p>`,
    `<p class="message">${esc(f.message)}</p>`,
    `<p class="fix"><b>Fix:</b> ${esc(f.remediation)}</p>`,
    ...f.fix.map((c) => commandBlock(c, 'fix')),
    ...f.confirm.map((c) => commandBlock(c, 'check')),
    `<p class="more">More: <code>kvprobe explain ${esc(f.code)}</code></p>`,
    '</li>',
  ].join('');
}

const commandBlock = (c: string, kind: 'fix' | 'check'): string =>
  `<div class="cmd ${kind}"><pre><code>${esc(c)}</code></pre><button type="button" class="copy" hidden>Copy</button></div>`;

/** One diagnosis: the object to change, its fix in order, the reads, and the findings it explains, folded. */
function diagnosisItem(d: Diagnosis, r: VaultResult): string {
  const explained = d.explained.flatMap((i) => (r.findings[i] ? [r.findings[i]] : []));
  return [
    `<li class="finding diagnosis sev-${esc(d.severity)}" data-code="${esc(d.code)}">`,
    `<p class="head"><span class="sev">${esc(d.severity.toUpperCase())}</span> <code>${esc(d.code)}</code> ${esc(d.title)}</p>`,
    `<p class="object"><b>Fix here:</b> ${esc(d.object)}</p>`,
    `<p class="message">${esc(d.message)}</p>`,
    `<p class="fix"><b>Fix:</b> ${esc(d.remediation)}</p>`,
    ...d.fix.map((c) => commandBlock(c, 'fix')),
    d.confirm.length > 0 ? '<p class="check"><b>Check (reads only):</b></p>' : '',
    ...d.confirm.map((c) => commandBlock(c, 'check')),
    explained.length > 0
      ? `<details class="explained"><summary>+${explained.length} explained finding${explained.length === 1 ? '' : 's'}: ${esc(d.explains.join(', '))}</summary><ol class="findings">${explained.map(findingItem).join('')}</ol></details>`
      : '',
    `<p class="more">More: <code>kvprobe explain ${esc(d.code)}</code></p>`,
    '</li>',
  ].join('');
}

function vaultSection(r: VaultResult, index: number, location: string): string {
  const paths = markRoots(vaultPaths(r), r.diagnoses);
  const id = `v${index}`;
  const facts = [
    r.host ? esc(r.host) : undefined,
    r.publicNetworkAccess ? `public network access ${esc(r.publicNetworkAccess)}` : undefined,
    r.vaultId ? `<span class="id">${esc(r.vaultId)}</span>` : undefined,
  ].filter(Boolean);
  const bad = r.diagnoses.length;
  return [
    `<section class="vault st-${r.status}" id="${id}" data-vault="${esc(r.vault)}" data-status="${r.status}">`,
    `<h2><span class="badge">${STATUS_MARK[r.status]} ${r.status.toUpperCase()}</span> <span class="name">${esc(r.vault)}</span></h2>`,
    `<p class="host">${facts.join(' · ')}</p>`,
    '<figure class="paths">',
    renderPathSvg(paths, { id, vault: r.vault, location, layout: 'wide' }),
    renderPathSvg(paths, { id, vault: r.vault, location, layout: 'narrow' }),
    '<figcaption>Above: where the name went from here. Below: where ARM says it should go. Red (✗): a step that differs, with the finding that names it; amber (!): a warning.</figcaption>',
    '</figure>',
    bad > 0
      ? `<h3>Diagnoses (${bad}) of ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}</h3><ol class="findings">${r.diagnoses.map((d) => diagnosisItem(d, r)).join('')}</ol>`
      : "<p>No findings: the name resolves to this vault's approved private endpoint.</p>",
    '</section>',
  ].join('');
}

function healthyTable(results: readonly VaultResult[]): string {
  const rows = results.map(
    (r) =>
      `<tr><td>✓ ${esc(r.vault)}</td><td>${esc(r.host ?? '')}</td><td>${esc([...new Set([...r.resolved.os.addresses, ...r.resolved.dns.addresses])].join(', '))}</td></tr>`,
  );
  return `<section class="vault st-healthy" id="healthy"><h2>Healthy vaults (${results.length})</h2><table class="healthy"><thead><tr><th>vault</th><th>host</th><th>resolves to</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The run as one self-contained HTML page for people: a summary bar, then per vault its resolution path drawn
 * beside the expected one, and its findings with their commands. No external asset, readable without scripts.
 * The JSON output stays the contract; this page may change.
 */
export function renderHtmlReport(report: RunReport, opts: { version?: string } = {}): string {
  const ordered = report.results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => STATUS_ORDER[a.r.status] - STATUS_ORDER[b.r.status] || a.i - b.i);
  const drawHealthy = report.results.length <= DRAW_HEALTHY_UP_TO;
  const drawn = ordered.filter(({ r }) => drawHealthy || r.status !== 'healthy');
  const listed = ordered.filter(({ r }) => !drawHealthy && r.status === 'healthy').map(({ r }) => r);
  const s = report.summary;
  const nav = drawn
    .map(({ r, i }) => `<li><a class="st-${r.status}" href="#v${i}">${STATUS_MARK[r.status]} ${esc(r.vault)}</a></li>`)
    .join('');
  const title = `kvprobe: ${s.unhealthy} unhealthy, ${s.unknown} unknown, ${s.healthy} healthy of ${s.vaults} vault${s.vaults === 1 ? '' : 's'} from ${report.location}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(HTML_REPORT_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="color-scheme" content="light">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<svg class="defs" aria-hidden="true" focusable="false">${SVG_DEFS}</svg>`,
    '<header class="summary">',
    '<h1>kvprobe report</h1>',
    `<p class="meta">From <b>${esc(report.location)}</b> · started ${esc(report.startedAt)} · ${Math.round(report.durationMs)} ms${report.inventory ? ` · inventory ${esc(report.inventory.source)}` : ''}</p>`,
    summaryBar(report),
    `<nav aria-label="Vaults"><ol>${nav}</ol></nav>`,
    ...(report.inventory?.fromCache ?? []).map(
      (c) =>
        `<p class="meta">Note: ARM ${esc(c.kind)} of subscription ${esc(c.subscriptionId)} came from the previous run (${Math.round(c.ageMs / 1000)} s old): ${esc(c.reason)}.</p>`,
    ),
    '</header>',
    '<main>',
    ...drawn.map(({ r, i }) => vaultSection(r, i, report.location)),
    listed.length > 0 ? healthyTable(listed) : '',
    '</main>',
    `<footer>Run ${esc(report.runId)}${opts.version ? ` · kvprobe ${esc(opts.version)}` : ''}. For scripts, use <code>--output json</code>: the JSON is the contract, this page is for people.</footer>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
