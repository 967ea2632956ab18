#!/usr/bin/env node
// Bundles the Functions app into dist-bundle/: one minified CommonJS file plus package.json and host.json, a
// folder the Functions host can run as is (no node_modules). Run `npm run build` first; the entry is the
// compiled dist/src/index.js, so the bundle holds exactly the JavaScript the tests ran.
//
//   node scripts/bundle.mjs [--outdir dist-bundle] [--entry dist/src/index.js] [--sourcemap linked|external|none]
//                           [--no-minify] [--analyze] [--no-verify]
//
// Why these choices:
// - @azure/functions-core is external. It is no npm package: the Node.js worker hooks Module.prototype.require
//   and answers require('@azure/functions-core') with its own API, and @azure/functions (bundled here) looks it up
//   lazily inside try/catch (tryGetCoreApiLazy). A bundled require() still goes through Module.prototype.require,
//   so the hook sees it. Without a worker (plain `node`), @azure/functions drops to "test mode": it warns and skips
//   registration, but loading never throws, so no stub is needed for measuring.
// - The entry is the CommonJS output of tsc, not src/index.ts: bundling from TypeScript makes esbuild pick the
//   "import" (ESM) builds of packages that other packages require() as CommonJS, and the bundle then carries two
//   copies of @azure/core-rest-pipeline, @azure/logger, @typespec/ts-http-runtime ... (two logger settings, two
//   tracing contexts). From dist/, every package resolves the way Node resolves it unbundled.
// - keepNames: minifying renames classes and functions; keeping .name keeps error names and diagnostics intact.
// - No native modules are in the production closure (the script fails if one shows up) and no dynamic require
//   needs a file from node_modules at load. What a bundle changes at run time is listed in BUNDLE_NOTES below.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseFlags } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Supplied by the Functions worker at run time, never installed. */
const HOST_PROVIDED = ['@azure/functions-core'];

/** Behaviour that differs from the unbundled app; printed with --analyze, kept here so it is reviewed with the config. */
const BUNDLE_NOTES = [
  'applicationinsights looks for applicationinsights.json three folders above its own file; in the bundle that is above dist-bundle/, so use APPLICATIONINSIGHTS_CONFIGURATION_CONTENT (or _FILE) instead of a file in node_modules.',
  'OpenTelemetry auto-instrumentation patches modules through require hooks; it still sees Node built-ins (http, https) but not npm packages bundled into index.js. The probe sends telemetry through its own TelemetryClient (useGlobalProviders: false), so it relies on none.',
  '@grpc/grpc-js reads .proto files for channelz/ORCA from its package folder; only the gRPC OTLP exporters use it, and the probe configures none.',
  '@azure/monitor-opentelemetry require.resolve()s @opentelemetry/instrumentation (in try/catch) to patch its autoloader for statsbeat counts; in the bundle that lookup fails and the patch is skipped. Telemetry itself is unaffected.',
];

function parseArgs(argv) {
  const { values } = parseFlags({
    args: argv,
    options: {
      outdir: { type: 'string', default: 'dist-bundle' },
      entry: { type: 'string', default: 'dist/src/index.js' },
      sourcemap: { type: 'string', default: 'linked' },
      'no-minify': { type: 'boolean', default: false },
      analyze: { type: 'boolean', default: false },
      'no-verify': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: node scripts/bundle.mjs [--outdir DIR] [--entry FILE] [--sourcemap linked|external|none] [--no-minify] [--analyze] [--no-verify]',
    );
    process.exit(0);
  }
  const opts = {
    outdir: values.outdir,
    entry: values.entry,
    sourcemap: values.sourcemap,
    minify: !values['no-minify'],
    analyze: values.analyze,
    verify: !values['no-verify'],
  };
  if (!['linked', 'external', 'none'].includes(opts.sourcemap))
    throw new Error(`--sourcemap must be linked, external or none; got ${opts.sourcemap}`);
  return opts;
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
const mib = (n) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

/** Bytes each npm package (or the app itself) contributes to the output, largest first. */
function packageBreakdown(metafile) {
  const by = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(input);
      const key = m ? m[1] : '(app)';
      by.set(key, (by.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

/**
 * Requires that esbuild left in place and that are neither Node built-ins nor provided by the host. A
 * require.resolve() loads nothing: it is reported apart (the one known is @azure/monitor-opentelemetry probing
 * for @opentelemetry/instrumentation inside try/catch, to count instrumentations for statsbeat).
 */
function unexpectedExternals(metafile) {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const required = new Set();
  const resolved = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || builtins.has(imp.path) || HOST_PROVIDED.includes(imp.path)) continue;
      (imp.kind === 'require-resolve' ? resolved : required).add(imp.path);
    }
  }
  return { required: [...required], resolved: [...resolved] };
}

/**
 * Loads the bundle in a child process with a stand-in for the worker's require hook, so the functions really
 * register, and returns their names. The stand-in lives only in that child (a -r preload in a temp dir): the
 * bundle itself is untouched.
 */
function verifyRegistration(bundlePath) {
  const dir = join(tmpdir(), `kvprobe-bundle-verify-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const preload = join(dir, 'fake-functions-core.cjs');
  writeFileSync(
    preload,
    `'use strict';
const Module = require('node:module');
const registered = [];
class Disposable { constructor(fn) { this.fn = fn; } dispose() { if (this.fn) this.fn(); this.fn = undefined; } static from(...d) { return new Disposable(() => d.forEach((x) => x && x.dispose && x.dispose())); } }
let model;
const core = {
  version: '3.10.1', hostVersion: '4.1040.0.0',
  registerHook: () => new Disposable(), setProgrammingModel: (m) => { model = m; }, getProgrammingModel: () => model,
  log: () => {}, Disposable,
  registerFunction: (metadata) => { registered.push({ name: metadata.name, bindings: Object.values(metadata.bindings || {}).map((b) => b.type) }); return new Disposable(); },
};
Module.prototype.require = new Proxy(Module.prototype.require, {
  apply(target, self, args) { return args[0] === '@azure/functions-core' ? core : Reflect.apply(target, self, args); },
});
process.on('exit', () => { process.stdout.write('\\n@@registered ' + JSON.stringify({ model: model && model.name, functions: registered }) + '\\n'); });
`,
  );
  try {
    const child = spawnSync(
      process.execPath,
      ['-r', preload, '-e', `require(${JSON.stringify(bundlePath)}); setImmediate(() => process.exit(0));`],
      {
        encoding: 'utf8',
        cwd: dirname(bundlePath),
        env: {
          ...process.env,
          APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
          APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true',
        },
        timeout: 60_000,
      },
    );
    const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@registered '));
    if (child.status !== 0 || !line) {
      throw new Error(`loading the bundle failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
    }
    return JSON.parse(line.slice('@@registered '.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const entry = resolve(ROOT, opts.entry);
  const outdir = resolve(ROOT, opts.outdir);
  if (!existsSync(entry)) throw new Error(`${relative(ROOT, entry)} does not exist; run \`npm run build\` first.`);
  if (outdir === ROOT || !outdir.startsWith(ROOT))
    throw new Error(`refusing to write to ${outdir}: pick a folder inside the repository`);

  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.js');

  const started = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: opts.minify,
    keepNames: true,
    sourcemap: opts.sourcemap === 'none' ? false : opts.sourcemap,
    // Stack traces need names and positions, not the 10+ MB of sources.
    sourcesContent: false,
    external: HOST_PROVIDED,
    metafile: true,
    logLevel: 'warning',
    // Native addons cannot live inside a JS bundle; fail loudly rather than emit a copy that cannot load.
    loader: { '.node': 'empty' },
    legalComments: 'eof',
  });

  const natives = Object.keys(result.metafile.inputs).filter((p) => p.endsWith('.node'));
  if (natives.length > 0) {
    throw new Error(
      `native modules reached the bundle; mark them external and copy their packages into ${opts.outdir}/node_modules:\n  ${natives.join('\n  ')}`,
    );
  }
  const leftovers = unexpectedExternals(result.metafile);
  if (leftovers.required.length > 0) {
    throw new Error(`the bundle still requires packages it does not contain: ${leftovers.required.join(', ')}`);
  }

  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const pkg = {
    name: rootPkg.name,
    version: rootPkg.version,
    description: `${rootPkg.name}, bundled by scripts/bundle.mjs`,
    private: true,
    // CommonJS (no "type"): the worker require()s main, which is what the bundle is.
    main: 'index.js',
    engines: rootPkg.engines,
  };
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  copyFileSync(join(ROOT, 'host.json'), join(outdir, 'host.json'));

  const bundleBytes = statSync(outfile).size;
  const mapBytes = existsSync(`${outfile}.map`) ? statSync(`${outfile}.map`).size : 0;
  console.log(`bundled ${relative(ROOT, entry)} -> ${relative(ROOT, outfile)} in ${Date.now() - started} ms`);
  console.log(`  index.js      ${mib(bundleBytes)} (${bundleBytes} bytes)`);
  if (mapBytes) console.log(`  index.js.map  ${mib(mapBytes)} (${mapBytes} bytes, ${opts.sourcemap})`);
  console.log(
    `  folder        ${mib(folderBytes(outdir))} (${relative(ROOT, outdir)}/: index.js, ${mapBytes ? 'index.js.map, ' : ''}package.json, host.json)`,
  );

  if (opts.analyze) {
    console.log('\nlargest contributors:');
    for (const [name, bytes] of packageBreakdown(result.metafile).slice(0, 25))
      console.log(`  ${kib(bytes).padStart(9)}  ${name}`);
    console.log('\nnotes:');
    for (const note of BUNDLE_NOTES) console.log(`  - ${note}`);
    if (leftovers.resolved.length > 0)
      console.log(
        `  - require.resolve() left in place (answers "not found" in the bundle): ${leftovers.resolved.join(', ')}`,
      );
  }

  if (opts.verify) {
    const { model, functions } = verifyRegistration(outfile);
    if (model !== '@azure/functions' || functions.length === 0) {
      throw new Error(`the bundle loaded but registered nothing (programming model: ${model ?? 'none'})`);
    }
    console.log(
      `  verified      loads under a stand-in worker hook; ${model} registered ${functions.map((f) => `${f.name} (${f.bindings.join(', ')})`).join(', ')}`,
    );
  }
}

main().catch((err) => {
  console.error(`bundle: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
