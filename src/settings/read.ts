import type { Flag, Getter, Setting } from './setting';

/** An unusable setting or flag: names it, its value and what is allowed. Nothing has been sent anywhere. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The same problems without any setting's value (names and what is wrong): for HTTP bodies and telemetry. */
  readonly quiet: readonly string[];
  constructor(
    readonly problems: readonly string[],
    quiet?: readonly string[],
  ) {
    super(problems.join('\n'));
    this.quiet = quiet ?? problems;
  }
}

/**
 * A problem without the value it is about: the quoted value after the label goes, any other copy of it becomes
 * "(value not shown)", and URL credentials are masked whatever is left.
 */
export function quietProblem(problem: string, value: string): string {
  let q = problem.split(` "${value}"`).join('');
  if (value.trim().length > 0) q = q.split(value).join('(value not shown)');
  return q.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, '$1***@');
}

/** A setting with a default, read after every problem was reported: never undefined unless the table is wrong. */
export function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a setting with a default was left unset');
  return value;
}

/** Splits a list setting on commas, semicolons or whitespace. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Where settings come from (the app settings or the flags). Reading one records its problem and returns
 * undefined; `done()` throws every problem at once.
 */
export class SettingsSource {
  readonly problems: string[] = [];
  readonly quiet: string[] = [];
  /** Usable but worth saying: an old setting or flag name that was used. */
  readonly warnings: string[] = [];
  constructor(
    private readonly raw: <T>(s: Setting<T>) => { readonly label: string; readonly values: readonly string[] },
  ) {}

  /** A single-valued setting: given, else its default; undefined when unset or invalid. */
  one<T>(s: Setting<T>): T | undefined {
    const { label, values } = this.raw(s);
    const value = values[0];
    return value === undefined ? undefined : this.parse(s, value, label);
  }

  /** A list setting: every valid entry (an invalid one is a problem). */
  list<T>(s: Setting<T>): T[] {
    const { label, values } = this.raw(s);
    return values.flatMap((v) => {
      const r = this.parse(s, v, label);
      return r === undefined ? [] : [r];
    });
  }

  /** How many entries of a list setting were given, valid or not. */
  given<T>(s: Setting<T>): number {
    if (!s.list) throw new Error('given() counts the entries of a list setting');
    return this.raw(s).values.length;
  }

  /** A problem found outside a parser; `quiet` words it without any setting's value. */
  problem(text: string, quiet: string = text): void {
    this.problems.push(text);
    this.quiet.push(quiet);
  }

  warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems, this.quiet);
  }

  private parse<T>(s: Setting<T>, value: string, label: string): T | undefined {
    const r = s.parse(value, label);
    if ('problem' in r) {
      this.problem(r.problem, quietProblem(r.problem, value));
      return undefined;
    }
    return r.value;
  }
}

/** The Functions app's settings: trimmed, empty as unset; a list entry is named "<SETTING> entry". */
export function envSource(get: Getter): SettingsSource {
  const source: SettingsSource = new SettingsSource((s) => {
    if (s.env === undefined) throw new Error('not an app setting');
    if (s.list) return { label: `${s.env} entry`, values: splitList(get(s.env)) };
    const old = s.renamedFrom && get(s.env) === undefined ? get(s.renamedFrom.env) : undefined;
    if (old !== undefined && s.renamedFrom)
      source.warn(`${s.renamedFrom.env} is the old name of ${s.env}: rename the app setting (its value is used).`);
    const value = get(s.env) ?? old ?? s.envDefault?.(get) ?? s.default;
    return {
      label: old !== undefined && s.renamedFrom ? s.renamedFrom.env : s.env,
      values: value === undefined ? [] : [value],
    };
  });
  return source;
}

/** A setting's values as node:util's parseArgs returns them. */
export type FlagValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** The flags of `kvprobe check`: a switch stands for its value; two switches of one setting contradict. */
export function flagSource(values: FlagValues): SettingsSource {
  const source: SettingsSource = new SettingsSource((s) => {
    const flags: readonly Flag[] = (s.flags ?? []).filter((f) => f.name !== '');
    const [first] = flags;
    if (first === undefined) throw new Error('not a flag');
    let label = `--${first.name}`;
    if (first.switchValue === undefined) {
      const old = s.renamedFrom ? values[s.renamedFrom.flag] : undefined;
      if (old !== undefined && s.renamedFrom) {
        if (values[first.name] !== undefined)
          source.problem(`--${s.renamedFrom.flag} is the old name of ${label}: give ${label} only.`);
        else source.warn(`--${s.renamedFrom.flag} is the old name of ${label}: use ${label}.`);
        label = `--${s.renamedFrom.flag}`;
      }
      const given = values[first.name] ?? old;
      const list = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
      const value = list[0] ?? s.flagDefault?.() ?? s.default;
      return { label, values: s.list ? list : value === undefined ? [] : [value] };
    }
    const on = flags.filter((f) => values[f.name] === true);
    if (on.length > 1) source.problem(`${on.map((f) => `--${f.name}`).join(' and ')} contradict each other: give one.`);
    const value = on[0]?.switchValue ?? s.flagDefault?.() ?? s.default;
    return { label, values: value === undefined ? [] : [value] };
  });
  return source;
}

/** node:util's parseArgs options for every flag in the table. */
export function parseArgsOptions(
  settings: Readonly<Record<string, Setting<unknown>>>,
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const s of Object.values(settings)) {
    if (s.renamedFrom) options[s.renamedFrom.flag] = { type: 'string' };
    for (const f of s.flags ?? []) {
      if (f.name === '') continue;
      options[f.name] = {
        type: f.switchValue === undefined ? 'string' : 'boolean',
        ...(s.list ? { multiple: true } : {}),
        ...(f.short ? { short: f.short } : {}),
      };
    }
  }
  return options;
}
