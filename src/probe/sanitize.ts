/**
 * Text that came from elsewhere (ARM error messages, Key Vault's 403 body, DNS names, proxy URLs) before it enters
 * a finding, the table or the telemetry: no control characters (a terminal would obey them: cursor moves, colours,
 * a CR that overprints a line), no credentials in URLs, and a bounded length.
 */

/** The cap of one string that came from a server. */
export const UNTRUSTED_TEXT_MAX = 500;

// C0 (TAB, CR and LF included: a finding is one line), DEL, C1, and the Unicode format characters that reorder or
// hide text: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width spaces and joiners, LRM/RLM,
// line and paragraph separators, bidi embeddings, overrides and isolates, word joiners, BOM, interlinear annotation
// marks, and the tag characters (U+E0000-U+E007F, which hide whole strings).
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]+/gu;

// ANSI escape sequences (CSI and OSC) go whole, so no "[2J" residue is left behind.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-9;?]*[ -/]*[@-~]/g;

// scheme://user:password@host or scheme://token@host: the userinfo part is replaced.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi;

/** Replaces the userinfo of every URL in `text` with `***`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** The first `max` UTF-16 units of `text` or fewer, never ending inside a surrogate pair. */
export function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  // A high surrogate as the last unit kept would leave half a character (U+FFFD on the other side).
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Control characters become one space each run, URL credentials are redacted, and the text is cut at `max`. */
export function cleanText(text: string, max: number = UNTRUSTED_TEXT_MAX): string {
  const one = redactUrlCredentials(text.replace(ANSI, '').replace(CONTROL, ' '));
  return one.length <= max ? one : `${cutCodePoints(one, max - 1)}…`;
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
