/**
 * Text that came from elsewhere (ARM error messages, Key Vault's 403 body, DNS names, proxy URLs) before it enters
 * a finding, the table or the telemetry: no control characters (a terminal would obey them: cursor moves, colours,
 * a CR that overprints a line), no credentials in URLs, and a bounded length.
 */

/** The cap of one string that came from a server. */
export const UNTRUSTED_TEXT_MAX = 500;

// C0 (TAB, CR and LF included: a finding is one line), DEL, C1, and the Unicode format characters that reorder or
// hide text (bidi overrides and isolates, zero-width joiners, line and paragraph separators, BOM).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

// ANSI escape sequences (CSI and OSC) go whole, so no "[2J" residue is left behind.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-9;?]*[ -/]*[@-~]/g;

// scheme://user:password@host or scheme://token@host: the userinfo part is replaced.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi;

/** Replaces the userinfo of every URL in `text` with `***`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** Control characters become one space each run, URL credentials are redacted, and the text is cut at `max`. */
export function cleanText(text: string, max: number = UNTRUSTED_TEXT_MAX): string {
  const one = redactUrlCredentials(text.replace(ANSI, '').replace(CONTROL, ' '));
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Applies {@link cleanText} to every string in a JSON-like value (finding details), keeping its shape. */
export function cleanDeep<T>(value: T, max: number = UNTRUSTED_TEXT_MAX): T {
  if (typeof value === 'string') return cleanText(value, max) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanDeep(v, max)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = cleanDeep(v, max);
    return out as T;
  }
  return value;
}
