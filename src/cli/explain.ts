import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FINDING_CODES, FINDINGS, type FindingCode } from '../probe/findings';
import { renderMarkdown, type TerminalStyle } from './markdown';

/**
 * Where the finding pages are: docs/findings at the package root. Compiled, this file is dist/src/cli/explain.js
 * (three folders down); under ts-jest it is src/cli/explain.ts (two). package.json "files" ships the folder.
 */
export function findingsDir(from: string = __dirname): string | undefined {
  for (const up of [
    ['..', '..', '..'],
    ['..', '..'],
  ]) {
    const dir = resolve(from, ...up, 'docs', 'findings');
    if (existsSync(join(dir, 'README.md'))) return dir;
  }
  return undefined;
}

/** The code the user meant: exact (any case), else undefined. */
export function findingCode(input: string): FindingCode | undefined {
  const wanted = input.trim().toUpperCase().replace(/-/g, '_');
  return FINDING_CODES.find((c) => c === wanted);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest codes to a mistyped one: by edit distance, or those containing it. */
export function suggestCodes(input: string): FindingCode[] {
  const wanted = input.trim().toUpperCase().replace(/-/g, '_');
  if (!wanted) return [];
  const containing = FINDING_CODES.filter((c) => c.includes(wanted));
  if (containing.length > 0) return containing.slice(0, 3);
  const scored = FINDING_CODES.map((c) => ({ c, d: distance(wanted, c) })).filter(
    (x) => x.d <= Math.max(3, Math.floor(x.c.length / 4)),
  );
  return scored
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map((x) => x.c);
}

/** `kvprobe explain`: every code, its default severity and its one-line meaning. */
export function renderCodeList(style: TerminalStyle): string {
  const width = Math.max(...FINDING_CODES.map((c) => c.length));
  const lines = FINDING_CODES.map((c) => `${c.padEnd(width)}  ${FINDINGS[c].severity.padEnd(8)}  ${FINDINGS[c].title}`);
  const header = `${'CODE'.padEnd(width)}  SEVERITY  MEANING`;
  return [
    style.color ? `\u001b[1m${header}\u001b[22m` : header,
    ...lines,
    '',
    'Run "kvprobe explain <CODE>" for what a code means, how to confirm it by hand and how to fix it.',
    '',
  ].join('\n');
}

/** The page of one code, rendered for the terminal; throws when the page is not where the package puts it. */
export function renderCodePage(
  code: FindingCode,
  style: TerminalStyle,
  dir: string | undefined = findingsDir(),
): string {
  const path = dir ? join(dir, `${code}.md`) : undefined;
  if (!path || !existsSync(path)) {
    throw new Error(
      `the page of ${code} is missing from this installation (looked for docs/findings/${code}.md beside the package); it should ship with kvprobe`,
    );
  }
  return renderMarkdown(readFileSync(path, 'utf8'), style);
}
