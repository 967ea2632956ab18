#!/usr/bin/env node
// Removes from an installed production node_modules the files Node never loads: source maps, type declarations,
// TypeScript sources and Markdown documents (READMEs, changelogs). Licence and notice files stay, whatever their
// extension. infra/hooks/package.sh runs it on the deployment package; scripts/measure-weight.mjs counts with the
// same rule, so the figures it prints are those of the package azd deploys.
//
//   node scripts/prune-package.mjs <node_modules folder> [--dry-run] [--json]
//
// Why only these: a .map is read only with --enable-source-maps (the Functions host does not set it), a .d.ts or .ts
// file only by a compiler, a .md file by nobody. Builds for other module systems (dist/esm, dist/browser) are left:
// an import() anywhere in the closure resolves to them, and no test of ours could show that none ever runs.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const KEEP = /^(licen[cs]e|notice|copying|authors)(\b|[-_.]|$)/i;

/** Whether Node never loads a file of this name (the rule the package step applies). */
export function prunable(name) {
  if (KEEP.test(name)) return false;
  return (
    /\.map$/i.test(name) || /\.d\.[cm]?ts$/i.test(name) || /\.[cm]?tsx?$/i.test(name) || /\.(md|markdown)$/i.test(name)
  );
}

/** Walks `dir` (nested node_modules included), removing (or, with dryRun, only counting) prunable files. */
export function prune(dir, { dryRun = false } = {}) {
  const totals = { files: 0, bytes: 0, keptFiles: 0, keptBytes: 0 };
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const size = lstatSync(p).size;
        if (prunable(entry.name)) {
          totals.files += 1;
          totals.bytes += size;
          if (!dryRun) rmSync(p);
        } else {
          totals.keptFiles += 1;
          totals.keptBytes += size;
        }
      }
    }
  };
  walk(dir);
  return totals;
}

function main(argv) {
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node scripts/prune-package.mjs <node_modules folder> [--dry-run] [--json]');
    return 2;
  }
  const t = prune(resolve(dir), { dryRun: argv.includes('--dry-run') });
  if (argv.includes('--json')) console.log(JSON.stringify(t));
  else
    console.log(
      `prune: ${argv.includes('--dry-run') ? 'would remove' : 'removed'} ${t.files} files (${(t.bytes / 1048576).toFixed(1)} MiB) that Node never loads; ${t.keptFiles} files (${(t.keptBytes / 1048576).toFixed(1)} MiB) kept`,
    );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exit(main(process.argv.slice(2)));
