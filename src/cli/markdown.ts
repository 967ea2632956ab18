/**
 * The subset of Markdown the finding pages use, rendered for a terminal: headings, paragraphs, lists, quotes,
 * code blocks, tables, inline code, bold and links. Pure: the caller says whether to colour and how wide to wrap.
 */
export interface TerminalStyle {
  /** ANSI colours and bold; off for pipes, files and NO_COLOR. */
  readonly color: boolean;
  /** Column to wrap prose at; code blocks and tables are never wrapped. */
  readonly width: number;
}

const ESC = '\u001b[';
const sgr = (on: string, off: string) => (text: string, style: TerminalStyle) =>
  style.color ? `${ESC}${on}m${text}${ESC}${off}m` : text;
const bold = sgr('1', '22');
const cyan = sgr('36', '39');

/** The visible width of a string that may hold ANSI sequences. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- ANSI sequences start with ESC (0x1b); matching it is the point.
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Inline markup: `code`, **bold**, [text](target). Links to other pages keep their text only. */
export function renderInline(text: string, style: TerminalStyle): string {
  const parts = text.split(/(`[^`]*`)/);
  return parts
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) {
        const code = part.slice(1, -1);
        return style.color ? cyan(code, style) : part;
      }
      return part
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, label: string, target: string) =>
          /^https?:\/\//.test(target) ? `${label} (${target})` : label,
        )
        .replace(/\*\*([^*]+)\*\*/g, (_m, inner: string) => bold(inner, style));
    })
    .join('');
}

/** Greedy word wrap by visible width; `first` prefixes the first line, `rest` the others. */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const words = text.split(/ +/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    const prefix = lines.length === 0 ? first : rest;
    if (!empty && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = rest + word;
      continue;
    }
    line = empty ? prefix + word : `${line} ${word}`;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function renderTable(rows: readonly string[], style: TerminalStyle): string[] {
  const cells = rows
    .filter((r) => !/^\s*\|[\s:|-]+\|\s*$/.test(r))
    .map((r) =>
      r
        .trim()
        .slice(1, -1)
        .split('|')
        .map((c) => renderInline(c.trim(), style)),
    );
  const columns = Math.max(...cells.map((c) => c.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...cells.map((c) => visibleLength(c[i] ?? ''))));
  return cells.map((row, r) => {
    const line = row
      .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - visibleLength(c)))
      .join('  ')
      .trimEnd();
    return r === 0 ? bold(line, style) : line;
  });
}

/** The whole page, for a terminal. */
export function renderMarkdown(markdown: string, style: TerminalStyle): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^(\s*)```/.exec(line);
    if (fence) {
      const indent = fence[1] ?? '';
      for (i++; i < lines.length && !/^\s*```/.test(lines[i] ?? ''); i++) {
        const code = (lines[i] ?? '').startsWith(indent) ? (lines[i] ?? '').slice(indent.length) : (lines[i] ?? '');
        out.push(`${indent}    ${style.color ? cyan(code, style) : code}`);
      }
      continue;
    }
    if (isTableRow(line)) {
      const rows: string[] = [];
      for (; i < lines.length && isTableRow(lines[i] ?? ''); i++) rows.push(lines[i] ?? '');
      i--;
      out.push(...renderTable(rows, style));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length;
      const text = renderInline(heading[2] ?? '', style);
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      out.push(bold(text, style));
      out.push((level === 1 ? '=' : '-').repeat(Math.min(visibleLength(text), style.width)));
      continue;
    }
    if (line.trim() === '') {
      out.push('');
      continue;
    }
    const quote = /^>\s?(.*)$/.exec(line);
    if (quote) {
      out.push(...wrap(renderInline(quote[1] ?? '', style), style.width, '| ', '| '));
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const indent = item[1] ?? '';
      const marker = item[2] === '*' ? '-' : (item[2] ?? '-');
      out.push(
        ...wrap(
          renderInline(item[3] ?? '', style),
          style.width,
          `${indent}${marker} `,
          `${indent}${' '.repeat(marker.length + 1)}`,
        ),
      );
      continue;
    }
    const lead = /^(\s*)/.exec(line)?.[1] ?? '';
    out.push(...wrap(renderInline(line.trim(), style), style.width, lead, lead));
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
