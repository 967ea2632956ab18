#!/usr/bin/env node
// `npm run weight`: the production dependency weight, before and after trimming, measured in one run.
//
//   node scripts/measure-weight.mjs [--runs 7] [--baseline <git ref>] [--bundled] [--json]
//
// Package: the production closure (`npm ls --omit=dev --all --parseable`, each package folder without its nested
// node_modules, which npm lists on their own): packages, files and bytes as `npm ci --omit=dev` installs them
// (before), and as infra/hooks/package.sh ships them after scripts/prune-package.mjs (after; same rule, counted, not
// deleted). Plus dist/src, which the package carries as built.
//
// Module load: the time require() takes in a fresh Node process, median of --runs, for three paths: the engine alone;
// what `kvprobe check` loads before its first request (the CLI, the engine, the pipeline); and what the timer's first
// run loads (the app's entry, then, at the first invocation, the engine and the App Insights adapter, which
// runtime.ts requires lazily when a connection string is set). The App Insights SDK's share is its adapter's time
// within that last path. Each path is a child that requires the modules in order and reports each step.
//
// --baseline <ref>: the same paths for the sources of another commit (git archive of src/, compiled with this
// checkout's TypeScript into a temporary folder that uses this checkout's node_modules), measured alternately with
// the current dist/ in the same run, so the ratio after/before sees the same machine load. Without it, only the
// current figures are printed.
//
// --bundled: also each path as one esbuild bundle of the current dist/ (scripts/bundle.mjs's options), for the
// comparison with the bundle as a deployment (not what azd deploys; the README says why).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productionPackageDirs } from './measure-load.mjs';
import { prunable } from './prune-package.mjs';
import { parseArgs as parseFlags } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The module sequences measured; each path is relative to a dist folder. */
const PATHS = [
  { name: 'engine', modules: ['src/engine.js'] },
  { name: 'CLI check', modules: ['src/cli/main.js', 'src/engine.js', 'src/probe/pipeline/index.js'] },
  {
    name: 'timer first run',
    modules: ['src/index.js', 'src/engine.js', 'src/adapters/app-insights.js'],
    appInsights: 'src/adapters/app-insights.js',
  },
];

function parseArgs(argv) {
  const { values } = parseFlags({
    args: argv,
    options: {
      runs: { type: 'string', default: '7' },
      baseline: { type: 'string' },
      bundled: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node scripts/measure-weight.mjs [--runs N>=3] [--baseline <git ref>] [--bundled] [--json]');
    process.exit(0);
  }
  const opts = { runs: Number(values.runs), baseline: values.baseline, json: values.json, bundled: values.bundled };
  if (!Number.isInteger(opts.runs) || opts.runs < 3) throw new Error('--runs must be an integer >= 3');
  return opts;
}

/** Files and bytes of one package folder (nested node_modules left out), and how many of them the package step prunes. */
function packageFiles(dir, acc) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') packageFiles(p, acc);
    } else if (entry.isFile()) {
      const size = statSync(p).size;
      acc.files += 1;
      acc.bytes += size;
      if (prunable(entry.name)) {
        acc.prunedFiles += 1;
        acc.prunedBytes += size;
      }
    }
  }
  return acc;
}

function folderTotals(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      files += 1;
      bytes += statSync(join(entry.parentPath, entry.name)).size;
    }
  }
  return { files, bytes };
}

function packageFigures() {
  const { dirs, source } = productionPackageDirs();
  const acc = { files: 0, bytes: 0, prunedFiles: 0, prunedBytes: 0 };
  for (const dir of dirs) packageFiles(dir, acc);
  const dist = folderTotals(join(ROOT, 'dist', 'src'));
  return {
    source,
    packages: dirs.size,
    before: { files: acc.files + dist.files, bytes: acc.bytes + dist.bytes },
    after: { files: acc.files - acc.prunedFiles + dist.files, bytes: acc.bytes - acc.prunedBytes + dist.bytes },
    distSrc: dist,
  };
}

// In the child: require each module in order, timing each step; exit at once (the app may have started timers).
const CHILD = `
const out = [];
for (const m of process.argv.slice(1)) {
  const t0 = process.hrtime.bigint();
  require(m);
  out.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
process.stdout.write('@@steps ' + JSON.stringify(out) + '\\n', () => process.exit(0));
`;

function loadOnce(files) {
  const env = {
    ...process.env,
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true',
  };
  delete env.NODE_OPTIONS; // a --require or --inspect from the caller's shell would skew every run
  delete env.NODE_COMPILE_CACHE; // a warm V8 code cache is not what a cold start has
  const child = spawnSync(process.execPath, ['-e', CHILD, ...files], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@steps '));
  if (child.status !== 0 || !line)
    throw new Error(`loading ${files.join(', ')} failed:\n${(child.stderr ?? '').slice(-4000)}`);
  return JSON.parse(line.slice('@@steps '.length));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Compiles src/ of `ref` into a temporary folder; returns its dist folder and a cleanup function. */
function buildBaseline(ref) {
  const dir = mkdtempSync(join(tmpdir(), 'kvprobe-weight-'));
  try {
    const archive = execFileSync('git', ['archive', ref, 'src', 'tsconfig.json'], { cwd: ROOT, maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(
      join(dir, 'tsconfig.weight.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { types: ['node'], outDir: 'dist', rootDir: '.', sourceMap: false, incremental: false },
        include: ['src/**/*.ts'],
      }),
    );
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.weight.json'],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    return { dist: join(dir, 'dist'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * --bundled: each path's modules as one esbuild bundle (the options of scripts/bundle.mjs), built from the current
 * dist/: what the path would cost if the deployment were a bundle. The bundle is not what azd deploys (see README).
 */
async function buildBundles() {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'kvprobe-weight-bundle-'));
  const files = {};
  try {
    for (const [i, p] of PATHS.entries()) {
      const entry = join(dir, `entry-${i}.js`);
      writeFileSync(entry, p.modules.map((m) => `require(${JSON.stringify(join(ROOT, 'dist', m))});`).join('\n'));
      files[p.name] = join(dir, `bundle-${i}.js`);
      await build({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outfile: files[p.name],
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        minify: true,
        keepNames: true,
        external: ['@azure/functions-core'],
        loader: { '.node': 'empty' },
        logLevel: 'error',
      });
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function loadFigures(variants, runs) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, PATHS.map(() => [])]));
  // One unrecorded run of each warms the OS file cache for both layouts alike.
  for (const v of variants) for (const p of PATHS) loadOnce(v.files(p));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) PATHS.forEach((p, j) => samples[v.name][j].push(loadOnce(v.files(p))));
  }
  const out = {};
  for (const v of variants) {
    out[v.name] = PATHS.map((p, j) => {
      const totals = samples[v.name][j].map((steps) => steps.reduce((a, b) => a + b, 0));
      const k = p.appInsights && !v.bundled ? p.modules.indexOf(p.appInsights) : -1;
      const ai = k >= 0 ? samples[v.name][j].map((steps) => steps[k]) : undefined;
      return {
        path: p.name,
        modules: p.modules,
        medianMs: round(median(totals)),
        minMs: round(Math.min(...totals)),
        maxMs: round(Math.max(...totals)),
        ...(ai
          ? { appInsightsMedianMs: round(median(ai)), appInsightsShare: round(median(ai) / median(totals), 2) }
          : {}),
      };
    });
  }
  return out;
}

const round = (v, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'src', 'engine.js')))
    throw new Error('dist/src does not exist; run `npm run build` first.');
  const pkg = packageFigures();
  const baseline = opts.baseline ? buildBaseline(opts.baseline) : undefined;
  const bundles = opts.bundled ? await buildBundles() : undefined;
  let loads;
  try {
    const ofDist = (dist) => (p) => p.modules.map((m) => join(dist, m));
    const variants = [
      ...(baseline ? [{ name: 'before', files: ofDist(baseline.dist) }] : []),
      { name: 'after', files: ofDist(join(ROOT, 'dist')) },
      ...(bundles ? [{ name: 'bundled', bundled: true, files: (p) => [bundles.files[p.name]] }] : []),
    ];
    loads = loadFigures(variants, opts.runs);
  } finally {
    baseline?.cleanup();
    bundles?.cleanup();
  }
  const result = {
    node: process.versions.node,
    runs: opts.runs,
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    package: pkg,
    moduleLoad: loads,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
  const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : '');
  console.log(`Production dependencies (${pkg.source}): ${pkg.packages} packages.`);
  console.log('');
  console.log('| deployment package | files | bytes |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| before: npm ci --omit=dev + dist/src | ${pkg.before.files} | ${pkg.before.bytes} (${mib(pkg.before.bytes)}) |`,
  );
  console.log(
    `| after: pruned by scripts/prune-package.mjs | ${pkg.after.files} | ${pkg.after.bytes} (${mib(pkg.after.bytes)}) |`,
  );
  console.log(
    `| after / before | ${ratio(pkg.after.files, pkg.before.files)} | ${ratio(pkg.after.bytes, pkg.before.bytes)} |`,
  );
  console.log('');
  const names = Object.keys(loads);
  const label = (n) => (n === 'before' ? `before (${opts.baseline})` : n);
  const head = [
    'path',
    ...names.map((n) => `${label(n)} ms`),
    ...(loads.before ? ['after / before'] : []),
    ...(loads.bundled ? ['bundled / after'] : []),
    ...names.filter((n) => n !== 'bundled').map((n) => `App Insights ms (share), ${n}`),
  ];
  console.log(`Module load, median of ${opts.runs} fresh processes (min .. max), Node ${process.versions.node}:`);
  console.log('');
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| --- |${' ---: |'.repeat(head.length - 1)}`);
  PATHS.forEach((p, j) => {
    const at = (n) => loads[n][j];
    const cell = (x) => `${x.medianMs} (${x.minMs} .. ${x.maxMs})`;
    const ai = (x) => (x.appInsightsMedianMs !== undefined ? `${x.appInsightsMedianMs} (${x.appInsightsShare})` : '');
    const row = [
      p.name,
      ...names.map((n) => cell(at(n))),
      ...(loads.before ? [ratio(at('after').medianMs, at('before').medianMs)] : []),
      ...(loads.bundled ? [ratio(at('bundled').medianMs, at('after').medianMs)] : []),
      ...names.filter((n) => n !== 'bundled').map((n) => ai(at(n))),
    ];
    console.log(`| ${row.join(' | ')} |`);
  });
  if (!loads.before)
    console.log('\n(--baseline <git ref> adds the same figures for another commit, measured alternately.)');
}

main().catch((err) => {
  console.error(`measure-weight: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
