/**
 * `npm run bench:fleet`: measures what one site costs (ARM requests of a batched run for 100, 1,500 and 5,000 vaults
 * over 20 subscriptions; what the site scope saves, test/lab/bench-scope.ts) and writes the figures to
 * test/lab/fleet-figures.json, from which `npm run readme` renders docs/DEPLOY.md's sizing table
 * (test/lab/fleet-model.ts). Ingestion is the telemetry bench's committed figure (`npm run bench`), not measured here.
 *
 *   node dist/test/lab/bench-fleet.js            print the figures
 *   node dist/test/lab/bench-fleet.js --write    also write test/lab/fleet-figures.json
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { measureScope } from './bench-scope';
import type { FleetFigures } from './fleet-model';

const SUBSCRIPTIONS = 20;
const VAULTS = [100, 1500, 5000];

function node(args: readonly string[]): string {
  const r = spawnSync(process.execPath, [join(__dirname, 'bench.js'), ...args], {
    encoding: 'utf8',
    timeout: 1_800_000,
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', UV_THREADPOOL_SIZE: '16' },
  });
  if (r.status !== 0) throw new Error(`bench.js ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

async function measure(): Promise<FleetFigures> {
  const armReadsPerRun: Record<string, number> = {};
  for (const vaults of VAULTS) {
    const out = node(['--one', '--vaults', String(vaults), '--subs', String(SUBSCRIPTIONS), '--strategy', 'batched']);
    const run = JSON.parse(out.split('\n').pop() ?? '') as { armRequests: number; healthy: number };
    if (run.healthy !== vaults) throw new Error(`${vaults} vaults: only ${run.healthy} healthy`);
    armReadsPerRun[String(vaults)] = run.armRequests;
  }
  const siteScope = await measureScope();
  return {
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: `${availableParallelism()} cores, Node ${process.versions.node.split('.')[0] ?? ''}`,
    subscriptions: SUBSCRIPTIONS,
    armReadsPerRun,
    siteScope,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const figures = await measure();
  const text = `${JSON.stringify(figures, null, 2)}\n`;
  process.stdout.write(text);
  if (argv.includes('--write'))
    writeFileSync(join(__dirname, '..', '..', '..', 'test', 'lab', 'fleet-figures.json'), text);
  return 0;
}

if (require.main === module)
  void main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`bench:fleet: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
