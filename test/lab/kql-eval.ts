/// <reference types="@kusto/language-service-next" />
/**
 * A small KQL evaluator for the lab and the tests: it runs the project's own queries (the Resource Graph queries in
 * src/adapters/resource-graph-queries.ts, the alert query infra/alerts/cause.kql) over plain rows, so that a test
 * exercises the query text itself and not a copy of its logic. The query is parsed by Microsoft's Kusto language
 * service; the evaluator walks its syntax tree. It knows the operators and functions those queries use and throws,
 * naming the construct, on anything else: a query that grows a new operator fails loudly until this learns it.
 *
 * Semantics follow the KQL reference (learn.microsoft.com/kusto/query): `sort`/`order` default to descending and
 * serialize the rows for `row_number()` and `prev()`; `=~` compares case-insensitively; `in` flattens dynamic
 * arrays; `make_set(x, n)` keeps at most n distinct values; `take_anyif` returns one matching value.
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

/** What an expression sees: the row, the previous row of a serialized set, the query's `let` values. */
interface Scope {
  readonly row: KqlRow;
  readonly prev: KqlRow | undefined;
  readonly lets: ReadonlyMap<string, KqlValue>;
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
      if (scope.lets.has(name)) return scope.lets.get(name);
      throw new Error(`kql-eval: unknown name ${name}`);
    }
    case 'StringLiteralExpression':
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

function operate(op: Syntax, rows: KqlRow[], lets: ReadonlyMap<string, KqlValue>): KqlRow[] {
  const kind = kindOf(op);
  const scope = (row: KqlRow, prev?: KqlRow): Scope => ({ row, prev, lets, counters });
  const counters = new Map<Syntax, number>();
  switch (kind) {
    case 'FilterOperator': {
      const [condition] = parts(op);
      return rows.filter((r, i) => expr(condition as Syntax, scope(r, rows[i - 1])) === true);
    }
    case 'ExtendOperator': {
      const columns = parts(op).map(named);
      const out: KqlRow[] = [];
      rows.forEach((r, i) => {
        const row = { ...r };
        for (const c of columns) row[c.name] = expr(c.value, { ...scope(row, rows[i - 1]), counters });
        out.push(row);
      });
      return out;
    }
    case 'ProjectOperator': {
      const columns = parts(op).map(named);
      return rows.map((r, i) => Object.fromEntries(columns.map((c) => [c.name, expr(c.value, scope(r, rows[i - 1]))])));
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
      return sorted.map((x) => x.r);
    }
    case 'SummarizeOperator': {
      const all = parts(op);
      const by = all.find((p) => kindOf(p) === 'SummarizeByClause');
      const aggregates = all.filter((p) => p !== by).map(named);
      const keys = by ? parts(by).map(named) : [];
      const groups = new Map<string, { key: KqlRow; rows: KqlRow[] }>();
      for (const r of rows) {
        const key = Object.fromEntries(keys.map((k) => [k.name, expr(k.value, scope(r))]));
        const id = keyOf(Object.values(key));
        const g = groups.get(id) ?? { key, rows: [] };
        g.rows.push(r);
        groups.set(id, g);
      }
      return [...groups.values()].map((g) => ({
        ...g.key,
        ...Object.fromEntries(
          aggregates.map((a) => [
            a.name,
            expr(a.value, { row: g.rows[0] ?? {}, prev: undefined, lets, counters, group: g.rows }),
          ]),
        ),
      }));
    }
  }
  return unsupported(op);
}

function tabular(
  node: Syntax,
  tables: Readonly<Record<string, readonly KqlRow[]>>,
  lets: ReadonlyMap<string, KqlValue>,
): KqlRow[] {
  const kind = kindOf(node);
  if (kind === 'NameReference') {
    const rows = tables[text(node)];
    if (!rows) throw new Error(`kql-eval: no table ${text(node)} (have ${Object.keys(tables).join(', ')})`);
    return rows.map((r) => ({ ...r }));
  }
  if (kind === 'PipeExpression') {
    const [source, op] = parts(node);
    return operate(op as Syntax, tabular(source as Syntax, tables, lets), lets);
  }
  return unsupported(node);
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
export function runKql(query: string, tables: Readonly<Record<string, readonly KqlRow[]>>): KqlRow[] {
  const root = syntaxOf(query);
  const lets = new Map<string, KqlValue>();
  let result: KqlRow[] | undefined;
  const visit = (node: Syntax): void => {
    for (const p of parts(node)) {
      const kind = kindOf(p);
      if (kind === 'LetStatement') {
        const [decl, value] = parts(p);
        lets.set(text(decl as Syntax), expr(value as Syntax, { row: {}, prev: undefined, lets, counters: new Map() }));
      } else if (kind === 'ExpressionStatement') {
        result = tabular(parts(p)[0] as Syntax, tables, lets);
      } else if (kind !== 'EndOfTextToken') {
        visit(p);
      }
    }
  };
  visit(root);
  if (!result) throw new Error('kql-eval: the query has no tabular expression');
  return result;
}
