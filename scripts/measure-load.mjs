#!/usr/bin/env node
// Cold-start cost of the Functions app, unbundled (dist/src/index.js + node_modules) against bundled
// (dist-bundle/index.js from scripts/bundle.mjs): the time require() of the entry takes in a fresh Node process,
// and the bytes each deployable ships.
//
//   node scripts/measure-load.mjs [--json] [--runs 7] [--bundle dist-bundle] [--unbundled dist/src/index.js]
//
// --json prints { "moduleLoadMs": { "bundled", "unbundled" }, "packageBytes": { "bundled", "unbundled" } }
// (medians, in ms; bytes) and nothing else on stdout; otherwise a small table.
//
// Each run is a new `node` process that times only the require() (not Node's own start-up) and exits at once.
// Runs alternate between the two entries so machine noise hits both alike, and one unrecorded run of each warms
// the OS file cache first (a real cold start may also pay disk reads; both layouts would, the unbundled one for
// ~200 packages' worth of files). Without the Functions worker, @azure/functions runs in "test mode" and only
// warns (on stderr, discarded) instead of registering, so the figure is the load cost minus the registration RPC.
//
// Package bytes: unbundled = every file under dist/src plus the production dependency closure (`npm ls --omit=dev
// --all --parseable`, each package folder counted without its nested node_modules, which npm lists on their own)
// less the files infra/hooks/package.sh prunes (scripts/prune-package.mjs): what azd deploys; bundled = every file in
// the bundle folder (index.js, its source map, package.json, host.json).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prunable } from './prune-package.mjs';
import { parseArgs as parseFlags } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What the brief asks of the bundle on this metric. */
const TARGET_BUNDLED_MS = 300;

function parseArgs(argv) {
  const { values } = parseFlags({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      runs: { type: 'string', default: '7' },
      bundle: { type: 'string', default: 'dist-bundle' },
      unbundled: { type: 'string', default: 'dist/src/index.js' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node scripts/measure-load.mjs [--json] [--runs N>=5] [--bundle DIR] [--unbundled FILE]');
    process.exit(0);
  }
  const opts = { json: values.json, runs: Number(values.runs), bundle: values.bundle, unbundled: values.unbundled };
  if (!Number.isInteger(opts.runs) || opts.runs < 5) throw new Error('--runs must be an integer >= 5');
  return opts;
}

// Runs in the child: hrtime around the require() only, then exit without waiting for timers the app may start.
const CHILD = `
const entry = process.argv[1];
const t0 = process.hrtime.bigint();
require(entry);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write('@@load ' + ms + '\\n', () => process.exit(0));
`;

function loadOnce(entry) {
  const env = {
    ...process.env,
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true',
  };
  delete env.NODE_OPTIONS; // a --require or --inspect from the caller's shell would skew every run
  delete env.NODE_COMPILE_CACHE; // a warm V8 code cache is not what a cold start has
  const child = spawnSync(process.execPath, ['-e', CHILD, entry], {
    cwd: dirname(entry),
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@load '));
  if (child.status !== 0 || !line) {
    throw new Error(
      `require(${relative(ROOT, entry)}) failed in a child process (exit ${child.status ?? child.signal}):\n${(child.stderr ?? '').slice(-4000)}`,
    );
  }
  return Number(line.slice('@@load '.length));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Bytes of every regular file under dir; `skipNodeModules` leaves out nested node_modules folders, `keep` decides by
 * file name which files count.
 */
export function folderBytes(dir, skipNodeModules = false, keep = () => true) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (skipNodeModules && entry.name === 'node_modules') continue;
      total += folderBytes(join(dir, entry.name), skipNodeModules, keep);
    } else if (entry.isFile() && keep(entry.name)) {
      total += statSync(join(dir, entry.name)).size;
    }
  }
  return total;
}

/** Folders of the production dependency closure, from npm; falls back to walking package.json dependencies. */
export function productionPackageDirs() {
  let out = '';
  try {
    out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    // npm ls exits non-zero on extraneous or invalid packages but still prints the tree.
    out = typeof err?.stdout === 'string' ? err.stdout : '';
  }
  const dirs = new Set(
    out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && resolve(l) !== ROOT && resolve(l).startsWith(join(ROOT, 'node_modules') + sep)),
  );
  return dirs.size > 0
    ? { dirs, source: 'npm ls --omit=dev --all --parseable' }
    : { dirs: walkDependencies(), source: 'package.json dependency walk' };
}

/** Node's lookup: <from>/node_modules/<name>, then each parent folder's, up to the repository root. */
function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || dirname(dir) === dir) return undefined;
  }
}

function walkDependencies() {
  const seen = new Set();
  const queue = [ROOT];
  while (queue.length > 0) {
    const dir = queue.shift();
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const names = { ...pkg.dependencies, ...pkg.optionalDependencies, ...(dir === ROOT ? {} : pkg.peerDependencies) };
    for (const name of Object.keys(names)) {
      const found = resolvePackageDir(name, dir);
      if (found && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return seen;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const unbundledEntry = resolve(ROOT, opts.unbundled);
  const bundleDir = resolve(ROOT, opts.bundle);
  const bundledEntry = join(bundleDir, 'index.js');
  if (!existsSync(unbundledEntry))
    throw new Error(`${relative(ROOT, unbundledEntry)} does not exist; run \`npm run build\` first.`);
  if (!existsSync(bundledEntry))
    throw new Error(`${relative(ROOT, bundledEntry)} does not exist; run \`node scripts/bundle.mjs\` first.`);

  const entries = { bundled: bundledEntry, unbundled: unbundledEntry };
  const samples = { bundled: [], unbundled: [] };
  loadOnce(bundledEntry);
  loadOnce(unbundledEntry);
  for (let i = 0; i < opts.runs; i++) {
    // Alternate which goes first, so neither always runs right after the other.
    const order = i % 2 === 0 ? ['bundled', 'unbundled'] : ['unbundled', 'bundled'];
    for (const kind of order) samples[kind].push(loadOnce(entries[kind]));
  }

  const { dirs, source } = productionPackageDirs();
  const distSrc = dirname(unbundledEntry);
  let nodeModulesBytes = 0;
  for (const dir of dirs) nodeModulesBytes += folderBytes(dir, true, (name) => !prunable(name));
  const distBytes = folderBytes(distSrc);
  const bundledBytes = folderBytes(bundleDir);

  const result = {
    moduleLoadMs: {
      bundled: Math.round(median(samples.bundled) * 10) / 10,
      unbundled: Math.round(median(samples.unbundled) * 10) / 10,
    },
    packageBytes: { bundled: bundledBytes, unbundled: distBytes + nodeModulesBytes },
  };

  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }

  const ms = (v) => `${v.toFixed(0)} ms`;
  const mib = (v) => `${(v / 1024 / 1024).toFixed(2)} MiB`;
  const range = (xs) => `${ms(Math.min(...xs))} .. ${ms(Math.max(...xs))}`;
  const rows = [
    ['', 'bundled', 'unbundled'],
    [`require() median (${opts.runs} runs)`, ms(result.moduleLoadMs.bundled), ms(result.moduleLoadMs.unbundled)],
    ['require() min .. max', range(samples.bundled), range(samples.unbundled)],
    ['package bytes', mib(result.packageBytes.bundled), mib(result.packageBytes.unbundled)],
    [
      '',
      `${relative(ROOT, bundleDir)}/`,
      `${relative(ROOT, distSrc)}/ ${mib(distBytes)} + ${dirs.size} packages ${mib(nodeModulesBytes)}`,
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('   ')
        .trimEnd(),
    );
  const speedup = result.moduleLoadMs.unbundled / result.moduleLoadMs.bundled;
  const verdict = result.moduleLoadMs.bundled < TARGET_BUNDLED_MS ? 'meets' : 'misses';
  console.log(
    `\nbundled loads ${speedup.toFixed(1)}x faster; ${verdict} the ${TARGET_BUNDLED_MS} ms target. Node ${process.versions.node}; closure from ${source}.`,
  );
}

// Run as a script, not when scripts/measure-weight.mjs imports the closure helpers above.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(`measure-load: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
