import type { Parser } from './types';

/** The environment as the app-settings reader sees it: trimmed, empty as unset. */
export type Getter = (name: string) => string | undefined;

/** A `kvprobe check` flag. A switch (no `<value>` in its usage) stands for the raw value `switchValue`. */
export interface Flag {
  /** Without the dashes; '' for a --help note that is no flag (what leaving the scope flags out means). */
  readonly name: string;
  readonly short?: string;
  /** How --help shows it, e.g. `--timeout <ms>`. */
  readonly usage: string;
  /** Its --help text, one entry per line. */
  readonly help: readonly string[];
  readonly switchValue?: string;
}

/** One setting: where it comes from, how it is parsed, its default, and how README and --help describe it. */
export interface Setting<T> {
  /** The Functions app setting; absent for CLI-only flags. */
  readonly env?: string;
  readonly flags?: readonly Flag[];
  readonly section?: 'Scope' | 'Network' | 'Output';
  /** A list: comma/semicolon/space-separated in the app setting, a repeatable flag; every entry parsed. */
  readonly list?: boolean;
  readonly parse: Parser<T>;
  /** The raw default, parsed like a given value; absent: unset. `envDefault`/`flagDefault` override it per side. */
  readonly default?: string;
  readonly envDefault?: (get: Getter) => string | undefined;
  /** An old name of the app setting and of the flag, still read, with a warning that names the new one. */
  readonly renamedFrom?: { readonly env: string; readonly flag: string };
  readonly flagDefault?: () => string;
  /** The README's "default" and "allowed values" cells (Markdown). */
  readonly readme?: { readonly default: string; readonly allowed: string };
}

/** Types a row of the table. */
export const setting = <T>(s: Setting<T>): Setting<T> => s;
/** A range as the README writes it. */
export const range = (r: { min: number; max: number }): string => `${r.min}–${r.max}`;
