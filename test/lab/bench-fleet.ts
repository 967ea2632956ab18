/**
 * `npm run bench:fleet`: measures what one site costs (ARM requests of a batched run for 100, 1,500 and 5,000 vaults
 * over 20 subscriptions; ingestion bytes per healthy vault-run from the telemetry bench) and writes the figures to
 * test/lab/fleet-figures.json, from which `npm run readme` renders the README's sizing table (test/lab/fleet-model.ts).
 *
 *   node dist/test/lab/bench-fleet.js            print the figures
 *   node dist/test/lab/bench-fleet.js --write    also write test/lab/fleet-figures.json
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
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

function measure(): FleetFigures {
  const armReadsPerRun: Record<string, number> = {};
  for (const vaults of VAULTS) {
    const out = node(['--one', '--vaults', String(vaults), '--subs', String(SUBSCRIPTIONS), '--strategy', 'batched']);
    const run = JSON.parse(out.split('\n').pop() ?? '') as { armRequests: number; healthy: number };
    if (run.healthy !== vaults) throw new Error(`${vaults} vaults: only ${run.healthy} healthy`);
    armReadsPerRun[String(vaults)] = run.armRequests;
  }
  const telemetry = JSON.parse(node(['--telemetry', '--json'])) as {
    telemetry: { healthy: { bytesPerVaultRun: number } };
  };
  return {
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: `${availableParallelism()} cores, Node ${process.versions.node.split('.')[0] ?? ''}`,
    subscriptions: SUBSCRIPTIONS,
    armReadsPerRun,
    bytesPerHealthyVaultRun: telemetry.telemetry.healthy.bytesPerVaultRun,
  };
}

function main(argv: readonly string[]): number {
  const figures = measure();
  const text = `${JSON.stringify(figures, null, 2)}\n`;
  process.stdout.write(text);
  if (argv.includes('--write'))
    writeFileSync(join(__dirname, '..', '..', '..', 'test', 'lab', 'fleet-figures.json'), text);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
