import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCE_GRAPH_QUERIES } from '../../src/adapters/resource-graph-queries';
import { REPO_ROOT } from './figures';
import { compileKql, registerCompiledKql, type KqlSyntax } from './kql-eval';

/**
 * The probe's Resource Graph queries, parsed by the Kusto language service and kept as syntax trees in
 * resource-graph-queries.kql.json, so the lab's Resource Graph evaluates them without loading the language service in
 * every lab process. test/unit/resource-graph-queries.test.ts fails while the file differs from what the parser gives
 * for the current query texts; `npm run readme` rewrites it.
 */
export const COMPILED_FILE = join(REPO_ROOT, 'test', 'lab', 'resource-graph-queries.kql.json');

/** Query text -> syntax tree, for every query in RESOURCE_GRAPH_QUERIES, from the parser. */
export function compileResourceGraphQueries(): Record<string, KqlSyntax> {
  return Object.fromEntries(Object.values(RESOURCE_GRAPH_QUERIES).map((q) => [q, compileKql(q)]));
}

/** Registers the committed trees with the evaluator (no-op when the file is missing). */
export function loadCompiledResourceGraphQueries(): void {
  if (!existsSync(COMPILED_FILE)) return;
  const trees = JSON.parse(readFileSync(COMPILED_FILE, 'utf8')) as Record<string, KqlSyntax>;
  for (const [query, tree] of Object.entries(trees)) registerCompiledKql(query, tree);
}

/** The file's text as the parser gives it now. */
export function renderCompiledResourceGraphQueries(): string {
  return JSON.stringify(compileResourceGraphQueries()) + '\n';
}

/** Rewrites the file; true when it changed. */
export function writeCompiledResourceGraphQueries(): boolean {
  const next = renderCompiledResourceGraphQueries();
  const before = existsSync(COMPILED_FILE) ? readFileSync(COMPILED_FILE, 'utf8') : '';
  if (before !== next) writeFileSync(COMPILED_FILE, next);
  return before !== next;
}
