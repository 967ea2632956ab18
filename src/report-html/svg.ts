import { escapeHtml as esc } from './escape';
import type { PathNode, ResolutionPath, VaultPaths } from './path-types';

/** Width of one character of the monospace value font (12px) and the note font (10.5px), for wrapping. */
const VALUE_CHAR = 7.3;
const NOTE_CHAR = 6.4;
const PAD = 8;
const STEP_H = 13;
const LINE_H = 15;
const NOTE_H = 13;

/**
 * Breaks text into lines of at most `max` characters, preferring to break after `.`, `-`, `/`, a space or a
 * comma, so host names and resource names split where a reader expects.
 */
export function breakText(text: string, max: number): string[] {
  // A zero-width space marks where a caller allows a break (inside finding codes, after each underscore).
  const limit = Math.max(4, Math.floor(max));
  const tokens = text.match(/[^.\-/ ,\u200b]*[.\-/ ,\u200b]?/g)?.filter((t) => t.length > 0) ?? [text];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line.length + token.length <= limit) {
      line += token;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    let rest = token;
    while (rest.length > limit) {
      lines.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    line = rest;
  }
  if (line.trim() || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

interface Box {
  readonly node: PathNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly values: readonly string[];
  readonly notes: readonly string[];
}

function measure(node: PathNode, w: number): { h: number; values: string[]; notes: string[] } {
  const values = node.lines.flatMap((l) => breakText(l, (w - 2 * PAD) / VALUE_CHAR));
  // The note, then each finding code on its own line(s), broken at underscores when wider than the box.
  const max = (w - 2 * PAD) / NOTE_CHAR;
  const notes = [
    ...(node.note ? breakText(node.note, max) : []),
    ...node.codes.flatMap((c) => breakText(c.replace(/_/g, '_\u200b'), max).map((l) => l.replace(/\u200b/g, ''))),
  ];
  return { h: PAD + STEP_H + values.length * LINE_H + notes.length * NOTE_H + PAD - 2, values, notes };
}

function box(node: PathNode, x: number, y: number, w: number, h?: number): Box {
  const m = measure(node, w);
  return { node, x, y, w, h: Math.max(h ?? 0, m.h), values: m.values, notes: m.notes };
}

function drawBox(b: Box): string {
  const n = b.node;
  const codesStart = n.note ? breakText(n.note, (b.w - 2 * PAD) / NOTE_CHAR).length : 0;
  const title = `${n.step}: ${n.lines.join(' → ')}${n.note ? ` (${n.note})` : ''}${n.codes.length > 0 ? ` — ${n.codes.join(', ')}` : ''}`;
  const parts = [
    `<g class="node${n.bad ? ' bad' : n.warn ? ' warn' : ''}${n.root ? ' root' : ''}" data-step="${esc(n.step)}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6"/>`,
    `<text class="step" x="${b.x + PAD}" y="${b.y + PAD + 9}">${n.root ? '◆ ' : ''}${n.bad ? '✗ ' : n.warn ? '! ' : ''}${esc(n.step.toUpperCase())}${n.root ? ' · FIX HERE' : ''}</text>`,
  ];
  let y = b.y + PAD + STEP_H + 11;
  for (const v of b.values) {
    parts.push(`<text class="value" x="${b.x + PAD}" y="${y}">${esc(v)}</text>`);
    y += LINE_H;
  }
  y -= 2;
  b.notes.forEach((t, i) => {
    parts.push(`<text class="${i >= codesStart ? 'codes' : 'note'}" x="${b.x + PAD}" y="${y}">${esc(t)}</text>`);
    y += NOTE_H;
  });
  parts.push('</g>');
  return parts.join('');
}

function edge(from: Box, to: Box, vertical: boolean): string {
  const cls = to.node.bad ? 'edge bad' : 'edge';
  if (vertical) {
    const x1 = from.x + from.w / 2;
    const y1 = from.y + from.h;
    const x2 = to.x + to.w / 2;
    const y2 = to.y - 3;
    const my = (y1 + y2) / 2;
    return `<path class="${cls}" d="M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}" marker-end="url(#arrow${to.node.bad ? '-bad' : ''})"/>`;
  }
  const x1 = from.x + from.w;
  const y1 = from.y + from.h / 2;
  const x2 = to.x - 3;
  const y2 = to.y + to.h / 2;
  const mx = (x1 + x2) / 2;
  return `<path class="${cls}" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" marker-end="url(#arrow${to.node.bad ? '-bad' : ''})"/>`;
}

const COLUMNS = [210, 270, 210, 220, 190] as const;
const GAP = 34;
const MARGIN = 10;
export const WIDE_WIDTH = MARGIN * 2 + COLUMNS.reduce((a, b) => a + b, 0) + GAP * (COLUMNS.length - 1);
export const NARROW_WIDTH = 360;

/** One lane left to right: name → CNAME chain → one row per address: address → endpoint → resource. */
function wideLane(path: ResolutionPath, top: number): { svg: string; height: number } {
  const xs = COLUMNS.map((_, i) => MARGIN + COLUMNS.slice(0, i).reduce((a, b) => a + b, 0) + GAP * i);
  const rowBoxes: Box[][] = [];
  let y = top;
  for (const row of path.rows) {
    const nodes = [row.address, row.endpoint, row.resource];
    const h = Math.max(...nodes.map((n, i) => measure(n, COLUMNS[i + 2] ?? 0).h));
    rowBoxes.push(nodes.map((n, i) => box(n, xs[i + 2] ?? 0, y, COLUMNS[i + 2] ?? 0, h)));
    y += h + 12;
  }
  const rowsBottom = y - 12;
  const nameM = measure(path.name, COLUMNS[0]);
  const cnameM = measure(path.cname, COLUMNS[1]);
  const middle = (top + rowsBottom) / 2;
  const nameBox = box(path.name, xs[0] ?? 0, Math.max(top, middle - nameM.h / 2), COLUMNS[0]);
  const cnameBox = box(path.cname, xs[1] ?? 0, Math.max(top, middle - cnameM.h / 2), COLUMNS[1]);
  const bottom = Math.max(rowsBottom, nameBox.y + nameBox.h, cnameBox.y + cnameBox.h);
  const edges = [
    edge(nameBox, cnameBox, false),
    ...rowBoxes.flatMap(([a, e, r]) =>
      a && e && r ? [edge(cnameBox, a, false), edge(a, e, false), edge(e, r, false)] : [],
    ),
  ];
  const boxes = [nameBox, cnameBox, ...rowBoxes.flat()].map(drawBox);
  return { svg: edges.join('') + boxes.join(''), height: bottom - top };
}

/** One lane top to bottom, for narrow screens: the rows side by side under the CNAME chain. */
function narrowLane(path: ResolutionPath, top: number): { svg: string; height: number } {
  const inner = NARROW_WIDTH - 2 * MARGIN;
  const nameBox = box(path.name, MARGIN, top, inner);
  const cnameBox = box(path.cname, MARGIN, nameBox.y + nameBox.h + 22, inner);
  const n = path.rows.length;
  const w = (inner - (n - 1) * 10) / n;
  let y = cnameBox.y + cnameBox.h + 22;
  const columns: Box[][] = path.rows.map(() => []);
  for (const step of ['address', 'endpoint', 'resource'] as const) {
    const h = Math.max(...path.rows.map((row) => measure(row[step], w).h));
    path.rows.forEach((row, i) => columns[i]?.push(box(row[step], MARGIN + i * (w + 10), y, w, h)));
    y += h + 22;
  }
  const edges = [
    edge(nameBox, cnameBox, true),
    ...columns.flatMap(([a, e, r]) =>
      a && e && r ? [edge(cnameBox, a, true), edge(a, e, true), edge(e, r, true)] : [],
    ),
  ];
  const boxes = [nameBox, cnameBox, ...columns.flat()].map(drawBox);
  return { svg: edges.join('') + boxes.join(''), height: y - 22 - top };
}

/** Arrowheads, defined once per page in a hidden SVG that every path refers to (ids must be unique). */
export const SVG_DEFS =
  '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker>' +
  '<marker id="arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path class="arrow bad" d="M0,0 L10,5 L0,10 z"/></marker></defs>';

/** A one-sentence text of a path, for screen readers and for search. */
export function describePath(p: ResolutionPath): string {
  const rows = p.rows.map(
    (r) => `${r.address.lines.join(' ')} → ${r.endpoint.lines.join(' ')} → ${r.resource.lines.join(' ')}`,
  );
  return `${p.name.lines.join(' ')} → ${p.cname.lines.join(' → ')} → ${rows.join('; ')}`;
}

/**
 * Both lanes in one SVG: what this machine saw above, what ARM expects below, the steps aligned in columns (wide)
 * or stacked (narrow). Every string is escaped: host names, CNAMEs and notes come from DNS and from servers.
 */
export function renderPathSvg(
  paths: VaultPaths,
  opts: { id: string; vault: string; location: string; layout: 'wide' | 'narrow' },
): string {
  const lane = opts.layout === 'wide' ? wideLane : narrowLane;
  const width = opts.layout === 'wide' ? WIDE_WIDTH : NARROW_WIDTH;
  const observedTop = 26;
  const observed = lane(paths.observed, observedTop);
  const expectedLabel = observedTop + observed.height + 34;
  const expected = lane(paths.expected, expectedLabel + 16);
  const height = expectedLabel + 16 + expected.height + 10;
  const titleId = `${opts.id}-${opts.layout}-title`;
  const descId = `${opts.id}-${opts.layout}-desc`;
  return [
    `<svg class="path ${opts.layout}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${Math.ceil(height)}" width="${width}" height="${Math.ceil(height)}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">Resolution path of ${esc(opts.vault)}: observed and expected</title>`,
    `<desc id="${descId}">Observed from ${esc(opts.location)}: ${esc(describePath(paths.observed))}. Expected from ARM: ${esc(describePath(paths.expected))}.</desc>`,
    `<text class="lane-label" x="${MARGIN}" y="${observedTop - 10}">Observed from ${esc(opts.location)}</text>`,
    `<g class="lane observed">${observed.svg}</g>`,
    `<line class="divider" x1="${MARGIN}" x2="${width - MARGIN}" y1="${expectedLabel - 18}" y2="${expectedLabel - 18}"/>`,
    `<text class="lane-label" x="${MARGIN}" y="${expectedLabel + 4}">Expected from ARM</text>`,
    `<g class="lane expected">${expected.svg}</g>`,
    '</svg>',
  ].join('');
}
