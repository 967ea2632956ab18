/// <reference types="@kusto/language-service-next" />
/**
 * A small KQL evaluator for the lab and the tests: it runs the project's own queries (the Resource Graph queries in
 * src/adapters/resource-graph-queries.ts, the state rebuild infra/monitoring/vault-state.kql and the alert query
 * infra/alerts/cause.kql in front of which alerts.bicep puts it) over plain rows, so that a test exercises the query
 * text itself and not a copy of its logic. The query is parsed by Microsoft's Kusto language
 * service; the evaluator walks its syntax tree. It knows the operators and functions those queries use and throws,
 * naming the construct, on anything else: a query that grows a new operator fails loudly until this learns it.
 *
 * Semantics follow the KQL reference (learn.microsoft.com/kusto/query): `sort`/`order` default to descending and
 * serialize the rows for `row_number()` and `prev()`; `=~` compares case-insensitively; `in` flattens dynamic
 * arrays; `make_set(x, n)` keeps at most n distinct values; `take_anyif` returns one matching value; `join` names a
 * right column that clashes with a left one `name1`; `coalesce` skips nulls and empty strings; `arg_max(e, c...)`
 * returns e and the columns c of a row where e is largest. A datetime is milliseconds since 1970 and a timespan
 * milliseconds, so `ago(1h)` is `now - 3600000` (now: the `now` option of runKql).
 */
type RawSyntax = Kusto.Language.Syntax.SyntaxNode;

export type { Syntax as KqlSyntax };

/** The syntax tree copied once into plain objects: walking Bridge.NET nodes per row is slow. */
interface Syntax {
  readonly kind: string;
  readonly text: string;
  readonly parts: readonly Syntax[];
  /** The value of a string literal, escapes resolved. */
  readonly value?: string;
}

export type KqlValue = string | number | boolean | null | undefined | KqlValue[] | { [key: string]: KqlValue };
export type KqlRow = Record<string, KqlValue>;

let loaded = false;
function kusto(): typeof Kusto {
  if (!loaded) {
    // Bridge.NET builds that define the global `Kusto`; loaded on first use (several MB of script).
    /* eslint-disable @typescript-eslint/no-require-imports -- side-effect scripts, loaded lazily */
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    /* eslint-enable @typescript-eslint/no-require-imports */
    loaded = true;
  }
  return Kusto;
}

const kindNames = new Map<number, string>();
function rawKind(node: RawSyntax): string {
  if (kindNames.size === 0) {
    for (const [name, value] of Object.entries(kusto().Language.Syntax.SyntaxKind)) {
      if (typeof value === 'number') kindNames.set(value, name);
    }
  }
  return kindNames.get(node.Kind) ?? String(node.Kind);
}

function rawText(node: RawSyntax): string {
  return node.ToString(kusto().Language.Syntax.IncludeTrivia.SingleLine)?.trim() ?? '';
}

const kindOf = (node: Syntax): string => node.kind;
const text = (node: Syntax): string => node.text;
const parts = (node: Syntax): readonly Syntax[] => node.parts;

/** The node's children that carry meaning: tokens and keywords dropped, lists and separators flattened. */
function rawParts(node: RawSyntax): RawSyntax[] {
  const out: RawSyntax[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i) as RawSyntax | null;
    if (child === null || typeof (child as { Kind?: unknown }).Kind !== 'number' || !('ChildCount' in child)) continue;
    const kind = rawKind(child);
    if (kind.endsWith('Token') || kind.endsWith('Keyword')) continue;
    if (kind === 'List' || kind === 'SeparatedElement' || kind === 'ExpressionList') out.push(...rawParts(child));
    else out.push(child);
  }
  return out;
}

function compile(node: RawSyntax): Syntax {
  const kind = rawKind(node);
  const value: unknown =
    kind === 'StringLiteralExpression' ? (node as Kusto.Language.Syntax.LiteralExpression).LiteralValue : undefined;
  return {
    kind,
    text: rawText(node),
    parts: rawParts(node).map(compile),
    ...(typeof value === 'string' ? { value } : {}),
  };
}

function unsupported(node: Syntax): never {
  throw new Error(`kql-eval does not evaluate ${kindOf(node)}: "${text(node)}"`);
}

function keyOf(v: KqlValue): string {
  return JSON.stringify(v ?? null);
}

function compare(a: KqlValue, b: KqlValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return kqlString(a) < kqlString(b) ? -1 : kqlString(a) > kqlString(b) ? 1 : 0;
}

/** KQL's tostring(): '' for null, JSON for arrays and bags. */
export function kqlString(v: KqlValue): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const isEmpty = (v: KqlValue): boolean => v === null || v === undefined || v === '';

/** A tabular value: its columns (every row has each of them) and rows. */
interface Table {
  readonly columns: readonly string[];
  readonly rows: KqlRow[];
}

/** A `let` function: its parameters' names and its body, evaluated in the scope where it was declared. */
interface KqlFunction {
  readonly params: readonly string[];
  readonly body: Syntax;
  readonly env: Env;
}

/** What a statement sees: the input tables, the evaluation time, and the `let` names declared before it. */
interface Env {
  readonly input: Readonly<Record<string, readonly KqlRow[]>>;
  readonly now: number;
  readonly scalars: Map<string, KqlValue>;
  readonly tables: Map<string, Table>;
  readonly functions: Map<string, KqlFunction>;
}

const childEnv = (env: Env): Env => ({
  ...env,
  scalars: new Map(env.scalars),
  tables: new Map(env.tables),
  functions: new Map(env.functions),
});

/** What an expression sees: the row, the previous row of a serialized set, the query's `let` values. */
interface Scope {
  readonly row: KqlRow;
  readonly prev: KqlRow | undefined;
  readonly env: Env;
  /** row_number() state, per call site. */
  readonly counters: Map<Syntax, number>;
  /** The rows of the group, inside summarize. */
  readonly group?: readonly KqlRow[];
}

function literal(node: Syntax): KqlValue {
  const kind = kindOf(node);
  if (kind === 'StringLiteralExpression' && node.value !== undefined) return node.value;
  const raw = text(node);
  if (kind === 'BooleanLiteralExpression') return raw.toLowerCase() === 'true';
  if (kind === 'LongLiteralExpression' || kind === 'IntLiteralExpression' || kind === 'RealLiteralExpression') {
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
  }
  if (kind === 'TimespanLiteralExpression') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(raw);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    if (m) return Number(m[1]) * unit[m[2] as keyof typeof unit];
  }
  return unsupported(node);
}

function json(node: Syntax): KqlValue {
  const kind = kindOf(node);
  if (kind === 'JsonArrayExpression') return parts(node).map(json);
  if (kind === 'JsonObjectExpression') {
    return Object.fromEntries(
      parts(node).map((p) => [text(parts(p)[0] ?? p).replace(/^"|"$/g, ''), json(parts(p)[1] ?? p)]),
    );
  }
  if (kind.endsWith('LiteralExpression')) return literal(node);
  return unsupported(node);
}

const AGGREGATES = new Set(['count', 'countif', 'take_any', 'take_anyif', 'min', 'max', 'dcount', 'make_set', 'sum']);
/** Aggregates that return several columns: summarize expands them (see summarizeColumns). */
const ARG_AGGREGATES = new Set(['arg_max', 'arg_min']);

function call(node: Syntax, scope: Scope): KqlValue {
  const [nameNode, ...args] = parts(node);
  const name = nameNode ? text(nameNode) : '';
  const arg = (i: number, s: Scope = scope): KqlValue => {
    const a = args[i];
    return a ? expr(a, s) : undefined;
  };
  if (AGGREGATES.has(name)) {
    const group = scope.group;
    if (!group) throw new Error(`kql-eval: ${name}() outside summarize: "${text(node)}"`);
    const per = (row: KqlRow): Scope => ({ ...scope, row });
    const where = (r: KqlRow, i: number): boolean => expr(args[i] as Syntax, per(r)) === true;
    switch (name) {
      case 'count':
        return group.length;
      case 'countif':
        return group.filter((r) => where(r, 0)).length;
      case 'take_any':
        // Any row: this picks the last, so a query that relies on which row take_any returns shows it.
        return group.length > 0 ? arg(0, per(group[group.length - 1] as KqlRow)) : null;
      case 'take_anyif': {
        const hit = group.find((r) => where(r, 1));
        return hit ? arg(0, per(hit)) : null;
      }
      case 'min':
      case 'max': {
        const values = group.map((r) => arg(0, per(r))).filter((v) => v !== null && v !== undefined);
        return values.reduce<KqlValue>(
          (best, v) => (best === null || (name === 'min' ? compare(v, best) < 0 : compare(v, best) > 0) ? v : best),
          null,
        );
      }
      case 'sum':
        return group.reduce((s, r) => s + Number(arg(0, per(r)) ?? 0), 0);
      case 'dcount':
        return new Set(group.map((r) => keyOf(arg(0, per(r))))).size;
      case 'make_set': {
        const limit = args[1] ? Number(arg(1)) : 1048576;
        const seen = new Map<string, KqlValue>();
        for (const r of group) {
          const v = arg(0, per(r));
          if (v === null || v === undefined || seen.size >= limit) continue;
          seen.set(keyOf(v), v);
        }
        return [...seen.values()];
      }
    }
  }
  switch (name) {
    case 'tostring': {
      const v = arg(0);
      return kqlString(v);
    }
    case 'toint':
    case 'tolong':
    case 'toreal': {
      const n = Number(arg(0));
      return Number.isFinite(n) ? (name === 'toreal' ? n : Math.trunc(n)) : null;
    }
    case 'isempty':
      return isEmpty(arg(0));
    case 'isnotempty':
      return !isEmpty(arg(0));
    case 'isnull':
      return arg(0) === null || arg(0) === undefined;
    case 'isnotnull':
      return arg(0) !== null && arg(0) !== undefined;
    case 'not':
      return arg(0) !== true;
    case 'iff':
    case 'iif':
      return arg(0) === true ? arg(1) : arg(2);
    case 'split': {
      const v = arg(0);
      return typeof v === 'string' ? v.split(kqlString(arg(1))) : null;
    }
    case 'set_has_element': {
      const set = arg(0);
      const v = arg(1);
      return Array.isArray(set) && set.some((x) => keyOf(x) === keyOf(v));
    }
    case 'strcat_array': {
      const a = arg(0);
      return Array.isArray(a) ? a.map((x) => kqlString(x)).join(kqlString(arg(1))) : '';
    }
    case 'strcat':
      return args.map((_, i) => kqlString(arg(i))).join('');
    case 'substring': {
      const v = kqlString(arg(0));
      const start = Math.max(0, Number(arg(1)));
      return args[2] ? v.substr(start, Math.max(0, Number(arg(2)))) : v.slice(start);
    }
    case 'coalesce': {
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (!isEmpty(v)) return v;
      }
      return null;
    }
    case 'ago':
      return scope.env.now - Number(arg(0));
    case 'now':
      return scope.env.now;
    case 'tolower':
      return kqlString(arg(0)).toLowerCase();
    case 'toupper':
      return kqlString(arg(0)).toUpperCase();
    case 'array_sort_asc': {
      const a = arg(0);
      return Array.isArray(a) ? [...a].sort(compare) : null;
    }
    case 'array_length': {
      const a = arg(0);
      return Array.isArray(a) ? a.length : null;
    }
    case 'array_index_of': {
      const a = arg(0);
      const v = arg(1);
      return Array.isArray(a) ? a.findIndex((x) => keyOf(x) === keyOf(v)) : null;
    }
    case 'prev': {
      const a = args[0];
      return scope.prev && a ? expr(a, { ...scope, row: scope.prev }) : null;
    }
    case 'row_number': {
      const start = args[0] ? Number(arg(0)) : 1;
      const restart = args[1] ? arg(1) === true : false;
      const last = scope.counters.get(node);
      const next = last === undefined || restart ? start : last + 1;
      scope.counters.set(node, next);
      return next;
    }
  }
  return unsupported(node);
}

function expr(node: Syntax, scope: Scope): KqlValue {
  const kind = kindOf(node);
  const [a, b] = parts(node);
  const left = (): KqlValue => expr(a as Syntax, scope);
  const right = (): KqlValue => expr(b as Syntax, scope);
  switch (kind) {
    case 'NameReference': {
      const name = text(node);
      if (name in scope.row) return scope.row[name];
      if (scope.env.scalars.has(name)) return scope.env.scalars.get(name);
      throw new Error(`kql-eval: unknown name ${name}`);
    }
    case 'StringLiteralExpression':
    case 'TimespanLiteralExpression':
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'BooleanLiteralExpression':
      return literal(node);
    case 'DynamicExpression':
      return json(a as Syntax);
    case 'ParenthesizedExpression':
      return left();
    case 'PathExpression': {
      const bag = left();
      const key = text(b as Syntax);
      return bag !== null && typeof bag === 'object' && !Array.isArray(bag) ? bag[key] : null;
    }
    case 'ElementExpression': {
      const bag = left();
      const key = expr(parts(b as Syntax)[0] as Syntax, scope);
      if (Array.isArray(bag) && typeof key === 'number') return bag[key];
      return bag !== null && typeof bag === 'object' && !Array.isArray(bag) && typeof key === 'string'
        ? bag[key]
        : null;
    }
    case 'AndExpression':
      return left() === true && right() === true;
    case 'OrExpression':
      return left() === true || right() === true;
    case 'EqualExpression':
      return keyOf(left()) === keyOf(right());
    case 'NotEqualExpression':
      return keyOf(left()) !== keyOf(right());
    case 'EqualTildeExpression':
      return kqlString(left()).toLowerCase() === kqlString(right()).toLowerCase();
    case 'BangTildeExpression':
      return kqlString(left()).toLowerCase() !== kqlString(right()).toLowerCase();
    case 'AddExpression':
      return Number(left()) + Number(right());
    case 'SubtractExpression':
      return Number(left()) - Number(right());
    case 'MultiplyExpression':
      return Number(left()) * Number(right());
    case 'LessThanExpression':
      return compare(left(), right()) < 0;
    case 'LessThanOrEqualExpression':
      return compare(left(), right()) <= 0;
    case 'GreaterThanExpression':
      return compare(left(), right()) > 0;
    case 'GreaterThanOrEqualExpression':
      return compare(left(), right()) >= 0;
    case 'InExpression':
    case 'InCsExpression': {
      const v = left();
      // parts() flattens the parenthesized list: everything after the left operand is the set.
      const set = parts(node)
        .slice(1)
        .flatMap((e) => {
          const x = expr(e, scope);
          return Array.isArray(x) ? x : [x];
        });
      return set.some((x) => keyOf(x) === keyOf(v));
    }
    case 'FunctionCallExpression':
      return call(node, scope);
  }
  return unsupported(node);
}

/** `name = expr` or a bare column: its output name and expression. */
function named(node: Syntax): { name: string; value: Syntax } {
  if (kindOf(node) === 'SimpleNamedExpression') {
    const [decl, value] = parts(node);
    return { name: text(decl as Syntax), value: value as Syntax };
  }
  if (kindOf(node) === 'NameReference') return { name: text(node), value: node };
  if (kindOf(node) === 'PathExpression') return { name: text(parts(node)[1] as Syntax), value: node };
  return unsupported(node);
}

/** A name that is not yet a column of `columns`: KQL's `name1`, `name2`… for a clashing right column of a join. */
function freshName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}${i}`)) return `${name}${i}`;
}

const withColumns = (columns: readonly string[], rows: KqlRow[]): Table => ({
  columns,
  rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))),
});

/** The output columns of summarize's aggregates: `name = agg(...)`, and arg_max/arg_min's columns, expanded. */
function summarizeColumns(node: Syntax): { name: string; value: Syntax; argOf?: { fn: string; index: number } }[] {
  if (kindOf(node) === 'FunctionCallExpression') {
    const [nameNode, ...args] = parts(node);
    const fn = nameNode ? text(nameNode) : '';
    if (ARG_AGGREGATES.has(fn)) return args.map((a, index) => ({ ...named(a), argOf: { fn, index } }));
  }
  return [named(node)];
}

function join(op: Syntax, left: Table, env: Env): Table {
  const kindParam = parts(op).find((p) => kindOf(p) === 'NamedParameter');
  const kind = kindParam ? text(parts(kindParam)[1] as Syntax) : 'innerunique';
  const rightNode = parts(op).find((p) => p !== kindParam && kindOf(p) !== 'JoinOnClause');
  const on = parts(op).find((p) => kindOf(p) === 'JoinOnClause');
  if (!rightNode || !on || !['inner', 'innerunique', 'leftouter'].includes(kind)) return unsupported(op);
  const keys = parts(on).map((k) => (kindOf(k) === 'NameReference' ? text(k) : unsupported(k)));
  const right = tabular(rightNode, env);
  const taken = new Set(left.columns);
  const renamed = right.columns.map((c) => {
    const n = freshName(c, taken);
    taken.add(n);
    return [c, n] as const;
  });
  const columns = [...left.columns, ...renamed.map(([, n]) => n)];
  const keyOfRow = (r: KqlRow): string => keyOf(keys.map((k) => r[k] ?? null));
  const byKey = new Map<string, KqlRow[]>();
  for (const r of right.rows) byKey.set(keyOfRow(r), [...(byKey.get(keyOfRow(r)) ?? []), r]);
  const seenLeft = new Set<string>();
  const out: KqlRow[] = [];
  for (const l of left.rows) {
    const k = keyOfRow(l);
    // innerunique (the default): one left row per key.
    if (kind === 'innerunique') {
      if (seenLeft.has(k)) continue;
      seenLeft.add(k);
    }
    const matches = byKey.get(k) ?? [];
    for (const r of matches) out.push({ ...l, ...Object.fromEntries(renamed.map(([c, n]) => [n, r[c] ?? null])) });
    if (matches.length === 0 && kind === 'leftouter')
      out.push({ ...l, ...Object.fromEntries(renamed.map(([, n]) => [n, null])) });
  }
  return { columns, rows: out };
}

function mvExpand(op: Syntax, input: Table, env: Env): Table {
  const expansions = parts(op).filter((p) => kindOf(p) === 'MvExpandExpression');
  if (expansions.length !== 1 || parts(op).length !== 1) return unsupported(op);
  const [target, to] = parts(expansions[0] as Syntax);
  const { name, value } = named(target as Syntax);
  const type = to ? text(to).replace(/\s/g, '') : '';
  if (to && type !== 'totypeof(string)') return unsupported(to);
  const columns = input.columns.includes(name) ? input.columns : [...input.columns, name];
  const rows: KqlRow[] = [];
  for (const r of input.rows) {
    const v = expr(value, { row: r, prev: undefined, env, counters: new Map() });
    const items = Array.isArray(v) ? v : [v];
    if (items.length === 0) throw new Error(`kql-eval: mv-expand of an empty array: "${text(op)}"`);
    for (const item of items) rows.push({ ...r, [name]: to ? kqlString(item) : item });
  }
  return { columns, rows };
}

function operate(op: Syntax, input: Table, env: Env): Table {
  const kind = kindOf(op);
  const { rows } = input;
  const counters = new Map<Syntax, number>();
  const scope = (row: KqlRow, prev?: KqlRow): Scope => ({ row, prev, env, counters });
  switch (kind) {
    case 'FilterOperator': {
      const [condition] = parts(op);
      return {
        columns: input.columns,
        rows: rows.filter((r, i) => expr(condition as Syntax, scope(r, rows[i - 1])) === true),
      };
    }
    case 'ExtendOperator': {
      const columns = parts(op).map(named);
      const out: KqlRow[] = [];
      rows.forEach((r, i) => {
        const row = { ...r };
        for (const c of columns) row[c.name] = expr(c.value, { ...scope(row, rows[i - 1]), counters });
        out.push(row);
      });
      return {
        columns: [...input.columns, ...columns.map((c) => c.name).filter((n) => !input.columns.includes(n))],
        rows: out,
      };
    }
    case 'ProjectOperator': {
      const columns = parts(op).map(named);
      return {
        columns: columns.map((c) => c.name),
        rows: rows.map((r, i) =>
          Object.fromEntries(columns.map((c) => [c.name, expr(c.value, scope(r, rows[i - 1]))])),
        ),
      };
    }
    case 'SortOperator': {
      const keys = parts(op).map((o) => {
        if (kindOf(o) !== 'OrderedExpression') return { value: o, desc: true };
        const [value, ordering] = parts(o);
        return { value: value as Syntax, desc: ordering === undefined || !/\basc\b/i.test(text(ordering)) };
      });
      const sorted = rows.map((r) => ({ r, k: keys.map((k) => expr(k.value, scope(r))) }));
      sorted.sort((x, y) => {
        for (let i = 0; i < keys.length; i++) {
          const c = compare(x.k[i], y.k[i]);
          if (c !== 0) return keys[i]?.desc ? -c : c;
        }
        return 0;
      });
      return { columns: input.columns, rows: sorted.map((x) => x.r) };
    }
    case 'SummarizeOperator': {
      const all = parts(op);
      const by = all.find((p) => kindOf(p) === 'SummarizeByClause');
      const aggregates = all.filter((p) => p !== by).flatMap(summarizeColumns);
      const keys = by ? parts(by).map(named) : [];
      const groups = new Map<string, { key: KqlRow; rows: KqlRow[] }>();
      for (const r of rows) {
        const key = Object.fromEntries(keys.map((k) => [k.name, expr(k.value, scope(r))]));
        const id = keyOf(Object.values(key));
        const g = groups.get(id) ?? { key, rows: [] };
        g.rows.push(r);
        groups.set(id, g);
      }
      // Without `by`, summarize returns one row even over no rows.
      if (keys.length === 0 && groups.size === 0) groups.set('', { key: {}, rows: [] });
      const columns = [...keys.map((k) => k.name), ...aggregates.map((a) => a.name)];
      return {
        columns,
        rows: [...groups.values()].map((g) => {
          const out: KqlRow = { ...g.key };
          // arg_max/arg_min: the row where the first argument is largest (smallest); the first such row on a tie.
          const argRow = new Map<string, KqlRow | undefined>();
          for (const a of aggregates) {
            if (!a.argOf) {
              out[a.name] = expr(a.value, { row: g.rows[0] ?? {}, prev: undefined, env, counters, group: g.rows });
              continue;
            }
            const { fn } = a.argOf;
            if (!argRow.has(fn)) {
              const first = aggregates.find((x) => x.argOf?.fn === fn && x.argOf.index === 0) as { value: Syntax };
              let best: { row: KqlRow; v: KqlValue } | undefined;
              for (const r of g.rows) {
                const v = expr(first.value, scope(r));
                if (v === null || v === undefined) continue;
                if (best === undefined || (fn === 'arg_max' ? compare(v, best.v) > 0 : compare(v, best.v) < 0))
                  best = { row: r, v };
              }
              argRow.set(fn, best?.row);
            }
            const row = argRow.get(fn);
            out[a.name] = row ? expr(a.value, scope(row)) : null;
          }
          return out;
        }),
      };
    }
    case 'UnionOperator':
      return union([input, ...parts(op).map((p) => tabular(p, env))]);
    case 'JoinOperator':
      return join(op, input, env);
    case 'MvExpandOperator':
      return mvExpand(op, input, env);
  }
  return unsupported(op);
}

function union(tables: readonly Table[]): Table {
  const columns = [...new Set(tables.flatMap((t) => t.columns))];
  return withColumns(
    columns,
    tables.flatMap((t) => t.rows),
  );
}

/** Calls a `let` function: its parameters bound to the arguments, its body's lets, then its result. */
function callFunction(node: Syntax, f: KqlFunction, env: Env): Table {
  const [, ...args] = parts(node);
  if (args.length !== f.params.length) return unsupported(node);
  const inner = childEnv(f.env);
  f.params.forEach((p, i) =>
    inner.scalars.set(p, expr(args[i] as Syntax, { row: {}, prev: undefined, env, counters: new Map() })),
  );
  const result = statements(parts(f.body), inner);
  if (!result) throw new Error(`kql-eval: the function body has no tabular expression: "${text(node)}"`);
  return result;
}

function tabular(node: Syntax, env: Env): Table {
  const kind = kindOf(node);
  if (kind === 'NameReference') {
    const name = text(node);
    const own = env.tables.get(name);
    if (own) return { columns: own.columns, rows: own.rows.map((r) => ({ ...r })) };
    const rows = env.input[name];
    if (!rows) throw new Error(`kql-eval: no table ${name} (have ${Object.keys(env.input).join(', ')})`);
    return withColumns([...new Set(rows.flatMap((r) => Object.keys(r)))], [...rows]);
  }
  if (kind === 'ParenthesizedExpression') return tabular(parts(node)[0] as Syntax, env);
  if (kind === 'UnionOperator') return union(parts(node).map((p) => tabular(p, env)));
  if (kind === 'FunctionCallExpression') {
    const f = env.functions.get(text(parts(node)[0] as Syntax));
    if (f) return callFunction(node, f, env);
  }
  if (kind === 'PipeExpression') {
    const [source, op] = parts(node);
    return operate(op as Syntax, tabular(source as Syntax, env), env);
  }
  return unsupported(node);
}

/** Whether a let's value is tabular: a table, a pipe, a union, or a call of a let function. */
function isTabular(node: Syntax, env: Env): boolean {
  const kind = kindOf(node);
  if (kind === 'PipeExpression' || kind === 'UnionOperator') return true;
  if (kind === 'ParenthesizedExpression') return isTabular(parts(node)[0] as Syntax, env);
  if (kind === 'NameReference') return env.tables.has(text(node)) || text(node) in env.input;
  if (kind === 'FunctionCallExpression') return env.functions.has(text(parts(node)[0] as Syntax));
  return false;
}

/** Runs a list of statements (lets, then one tabular expression) in `env`; returns the expression's table. */
function statements(list: readonly Syntax[], env: Env): Table | undefined {
  let result: Table | undefined;
  for (const p of list) {
    const kind = kindOf(p);
    if (kind === 'LetStatement') {
      const [decl, value] = parts(p);
      const name = text(decl as Syntax);
      const v = value as Syntax;
      if (kindOf(v) === 'FunctionDeclaration') {
        const [params, body] = parts(v);
        env.functions.set(name, {
          params: parts(params as Syntax).map((x) => text(parts(parts(x)[0] as Syntax)[0] as Syntax)),
          body: body as Syntax,
          env,
        });
      } else if (isTabular(v, env)) env.tables.set(name, tabular(v, env));
      else env.scalars.set(name, expr(v, { row: {}, prev: undefined, env, counters: new Map() }));
    } else if (kind === 'ExpressionStatement') {
      result = tabular(parts(p)[0] as Syntax, env);
    } else if (kind === 'PipeExpression' || kind === 'FunctionCallExpression' || kind === 'UnionOperator') {
      // A function body ends with its expression, not wrapped in a statement.
      result = tabular(p, env);
    } else if (kind === 'NameReference' && isTabular(p, env)) {
      result = tabular(p, env);
    } else if (kind !== 'EndOfTextToken') {
      result = statements(parts(p), env) ?? result;
    }
  }
  return result;
}

const compiled = new Map<string, Syntax>();

/**
 * Gives the evaluator a query's syntax tree compiled earlier (by compileKql, kept in a file): the Kusto language
 * service then need not load (about 1.5 s, and its first parse several seconds more, per process).
 */
export function registerCompiledKql(query: string, tree: Syntax): void {
  compiled.set(query, tree);
}

/** The query's syntax tree as plain data, from the Kusto parser; throws on a syntax error. */
export function compileKql(query: string): Syntax {
  const code = kusto().Language.KustoCode.Parse(query);
  const list = code?.GetSyntaxDiagnostics();
  const errors: string[] = [];
  for (let i = 0; list && i < list.Count; i++) errors.push(list.getItem(i).Message ?? '');
  if (errors.length > 0) throw new Error(`kql-eval: the query does not parse: ${errors.join('; ')}`);
  const raw = code?.Syntax;
  if (!raw) throw new Error('kql-eval: no syntax tree');
  return compile(raw);
}

/** The query's syntax tree, compiled once per text; throws on a syntax error. */
function syntaxOf(query: string): Syntax {
  const known = compiled.get(query);
  if (known) return known;
  const root = compileKql(query);
  compiled.set(query, root);
  return root;
}

/** Runs `query` over `tables`; throws on a syntax error or a construct the evaluator does not know. */
export function runKql(
  query: string,
  tables: Readonly<Record<string, readonly KqlRow[]>>,
  options: { readonly now?: number } = {},
): KqlRow[] {
  const root = syntaxOf(query);
  const env: Env = {
    input: tables,
    now: options.now ?? Date.now(),
    scalars: new Map(),
    tables: new Map(),
    functions: new Map(),
  };
  const result = statements([root], env);
  if (!result) throw new Error('kql-eval: the query has no tabular expression');
  return result.rows;
}
