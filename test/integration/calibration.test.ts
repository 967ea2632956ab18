import { EVENTS } from '../../src/telemetry/schema';
import { ALL_SCENARIOS } from '../lab/scenarios';
import { runLab } from './scenario-harness';
import { describeWhere, missingNamespaces } from '../support/environment';

// issue 25, calibration: at an observed site the estate map's prediction for its VNet is compared with what the probe
// saw (MODEL_DISAGREES). The healthy topology catalogue must give none; the scenario built to disagree exactly one.
const HEALTHY_TOPOLOGIES = ALL_SCENARIOS.filter((s) => s.topology !== undefined && s.topology.twin !== true);

/** MODEL_DISAGREES in the CLI's JSON and in the timer's finding events. */
function disagreements(name: string, entry: 'cli' | 'both'): { cli: number; timer: number } {
  const run = runLab(name, 'namespace', undefined, process.env, entry);
  const cli = (run.cli?.report?.results ?? []).flatMap((r) => r.findings).filter((f) => f.code === 'MODEL_DISAGREES');
  const timer = (run.timer?.events ?? []).filter(
    (e) =>
      e['name'] === EVENTS.finding &&
      (e['properties'] as Record<string, string> | undefined)?.['code'] === 'MODEL_DISAGREES',
  );
  return { cli: cli.length, timer: timer.length };
}

describeWhere(missingNamespaces(), 'calibration: the estate prediction against the observation', () => {
  it('the healthy topology catalogue: no disagreement', () => {
    expect(HEALTHY_TOPOLOGIES.length).toBeGreaterThanOrEqual(20);
    const found = HEALTHY_TOPOLOGIES.map((s) => [s.name, disagreements(s.name, 'cli').cli] as const);
    expect(found.filter(([, n]) => n > 0)).toEqual([]);
  }, 900_000);

  it('model-disagrees: exactly one, through the CLI and the timer', () => {
    expect(disagreements('model-disagrees', 'both')).toEqual({ cli: 1, timer: 1 });
  }, 180_000);
});
