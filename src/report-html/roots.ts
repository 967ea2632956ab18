import type { Diagnosis } from '../probe/diagnoses';
import type { PathNode, ResolutionPath, VaultPaths } from './path-types';

/**
 * Marks, on the observed path, the step that carries each diagnosis' root code: the box of the object to change. Only
 * the first step carrying a root is marked (a code named on several addresses is one object); the expected lane is
 * ARM's view and stays as drawn.
 */
export function markRoots(paths: VaultPaths, diagnoses: readonly Diagnosis[]): VaultPaths {
  const roots = new Set(diagnoses.filter((d) => d.severity !== 'info').map((d) => d.code as string));
  const marked = new Set<string>();
  const mark = (n: PathNode): PathNode => {
    const code = n.codes.find((c) => roots.has(c) && !marked.has(c));
    if (!code) return n;
    marked.add(code);
    return { ...n, root: true };
  };
  const o: ResolutionPath = paths.observed;
  const name = mark(o.name);
  const cname = mark(o.cname);
  const rows = o.rows.map((r) => {
    const address = mark(r.address);
    const endpoint = mark(r.endpoint);
    return { address, endpoint, resource: mark(r.resource) };
  });
  return { ...paths, observed: { name, cname, rows } };
}
