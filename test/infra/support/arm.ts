/**
 * Reading what `bicep snapshot` predicts. The snapshot evaluates everything known before the deployment starts; a
 * value that needs a runtime reference (an identity's clientId, a connection string) stays an ARM expression string
 * such as "[concat(createArray(createObject('name', 'PROBE_LOCATION', 'value', 'hub')), ...)]". appSettingsOf reads
 * the name/value pairs out of either form.
 */

/** A setting's value: a literal string, or the ARM expression text that computes it at deployment time. */
export type SettingValue = { readonly literal: string } | { readonly expression: string };

export interface PredictedResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly apiVersion?: string;
  readonly location?: string;
  readonly kind?: string;
  readonly tags?: Record<string, string>;
  readonly sku?: Record<string, unknown>;
  readonly identity?: Record<string, unknown>;
  readonly properties?: Record<string, unknown>;
}

export interface Snapshot {
  readonly predictedResources: PredictedResource[];
  readonly diagnostics: unknown[];
  readonly outputs?: Record<string, unknown>;
}

/** Reads an ARM string literal starting at text[start] === "'" (quotes are doubled inside). */
function readArmString(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += ch;
    i += 1;
  }
  throw new Error(`unterminated ARM string at ${start}`);
}

/** Reads the comma-separated arguments of a call whose "(" is at text[open]; returns them raw and trimmed. */
function readArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === "'") {
      const [, next] = readArmString(text, i);
      current += text.slice(i, next);
      i = next;
      continue;
    }
    if (ch === '(' || ch === '[') {
      depth += 1;
    } else if (ch === ')' || ch === ']') {
      if (depth === 0) {
        args.push(current.trim());
        return args;
      }
      depth -= 1;
    } else if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      i += 1;
      continue;
    }
    current += ch;
    i += 1;
  }
  throw new Error(`unbalanced call at ${open}`);
}

function asSettingValue(raw: string): SettingValue {
  if (raw.startsWith("'")) {
    const [literal, end] = readArmString(raw, 0);
    if (end === raw.length) {
      return { literal };
    }
  }
  return { expression: raw };
}

function literalOf(raw: string | undefined): string | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const value = asSettingValue(raw);
  return 'literal' in value ? value.literal : undefined;
}

/**
 * The app settings of a predicted Microsoft.Web/sites resource, by name. A name listed in both branches of an
 * if() appears once per branch, hence arrays.
 */
export function appSettingsOf(site: PredictedResource): Map<string, SettingValue[]> {
  const settings = new Map<string, SettingValue[]>();
  const add = (name: string, value: SettingValue): void => {
    settings.set(name, [...(settings.get(name) ?? []), value]);
  };
  const siteConfig = site.properties?.['siteConfig'];
  const raw =
    typeof siteConfig === 'object' && siteConfig !== null
      ? (siteConfig as Record<string, unknown>)['appSettings']
      : undefined;
  if (Array.isArray(raw)) {
    for (const entry of raw as unknown[]) {
      const record = entry as Record<string, unknown>;
      const value = record['value'];
      add(
        String(record['name']),
        typeof value === 'string' && !value.startsWith('[') ? { literal: value } : { expression: String(value) },
      );
    }
    return settings;
  }
  if (typeof raw !== 'string') {
    return settings;
  }
  const marker = 'createObject(';
  for (let at = raw.indexOf(marker); at !== -1; at = raw.indexOf(marker, at + marker.length)) {
    const args = readArguments(raw, at + marker.length - 1);
    const name = literalOf(args[1]);
    if (
      literalOf(args[0]) === 'name' &&
      literalOf(args[2]) === 'value' &&
      name !== undefined &&
      args[3] !== undefined
    ) {
      add(name, asSettingValue(args[3]));
    }
  }
  return settings;
}

/** The one literal value of a setting; throws if it is missing, computed, or set more than once. */
export function literalSetting(settings: Map<string, SettingValue[]>, name: string): string {
  const values = settings.get(name) ?? [];
  const [only] = values;
  if (values.length !== 1 || only === undefined || !('literal' in only)) {
    throw new Error(`expected one literal value for ${name}, got ${JSON.stringify(values)}`);
  }
  return only.literal;
}

/** The one computed value of a setting (its ARM expression text). */
export function expressionSetting(settings: Map<string, SettingValue[]>, name: string): string {
  const values = settings.get(name) ?? [];
  const [only] = values;
  if (values.length !== 1 || only === undefined || !('expression' in only)) {
    throw new Error(`expected one computed value for ${name}, got ${JSON.stringify(values)}`);
  }
  return only.expression;
}

/** Reads a nested property by path, e.g. prop(resource.properties, 'functionAppConfig', 'runtime', 'name'). */
export function prop(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
