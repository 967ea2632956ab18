import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FAULT_CASES, type FaultOutcome } from './faults';
import type { FaultFigures, FaultsFile } from './figures';

/** The figures of one case's outcome that the README quotes. */
export function faultFigures(o: FaultOutcome): FaultFigures {
  return {
    name: o.name,
    item: o.item,
    deadlineMs: o.deadlineMs,
    cli: { exitCode: o.cli.exitCode, wallMs: o.cli.wallMs, peakRssMiB: o.cli.peakRssMiB ?? null },
    timer: { durationMs: o.timer.durationMs, processPeakRssMiB: o.timer.processPeakRssMiB },
    vaults: (o.cli.report?.results ?? []).map((r) => ({ status: r.status, codes: r.findings.map((f) => f.code) })),
  };
}

/**
 * `node dist/test/lab/measure-faults.js > docs/measurements/faults.json`: every fault case, one after the other,
 * each through its own runner (dist/test/lab/faults.js, which makes the namespace), as one FaultsFile.
 */
function main(): number {
  const cases: FaultFigures[] = [];
  for (const c of FAULT_CASES) {
    const r = spawnSync(process.execPath, [join(__dirname, 'faults.js'), '--case', c.name], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      process.stderr.write(`measure-faults: ${c.name}: runner exited ${r.status}: ${r.stderr}\n`);
      return 1;
    }
    cases.push(faultFigures(JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as FaultOutcome));
    process.stderr.write(`measure-faults: ${c.name} done\n`);
  }
  const out: FaultsFile = { node: process.versions.node, cases };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

if (require.main === module) process.exitCode = main();
