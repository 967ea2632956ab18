import { ALL_SCENARIOS } from '../lab/scenarios';
import { assertScenario, runLab } from './scenario-harness';
import { describeWhere, missingNamespaces } from '../support/environment';

// Half of the catalogue per file, so jest's two workers run the scenarios in parallel.
const mine = ALL_SCENARIOS.filter((_, i) => i % 2 === 1);

describeWhere(missingNamespaces(), 'the catalogue in namespace mode', () => {
  describe.each(mine.map((s) => [s.name, s] as const))(
    'scenario %s (CLI process and timer handler, namespace mode)',
    (_name, scenario) => {
      it('reports the stated statuses and codes, and the telemetry', () => {
        assertScenario(scenario, runLab(scenario.name));
      });
    },
  );
});
