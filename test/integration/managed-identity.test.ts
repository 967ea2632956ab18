import { scenarioByName } from '../lab/scenarios';
import { assertScenario, runLab } from './scenario-harness';
import { describeWhere, missingNamespaces } from '../support/environment';

/**
 * The README tells users to export KVPROBE_ACCESS_TOKEN; a developer running the tests may have that, AZURE_*
 * variables and a proxy in their shell. None of it may reach the app or the CLI under test: the app must still run
 * as its managed identity (asserted by assertScenario: identity endpoint asked for AZURE_CLIENT_ID's identity, ARM
 * saw only the lab's tokens), and the CLI with the token the lab gave it.
 */
describeWhere(missingNamespaces(), 'managed identity, whatever the outer environment holds', () => {
  it('a leaked KVPROBE_ACCESS_TOKEN, AZURE_CLIENT_ID and proxy in the test environment change nothing', () => {
    const leaky: NodeJS.ProcessEnv = {
      ...process.env,
      KVPROBE_ACCESS_TOKEN: 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.leaked',
      AZURE_CLIENT_ID: '00000000-0000-4000-8000-00000000dead',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      PROBE_VAULTS: 'kv-elsewhere',
    };
    const run = runLab('healthy', 'namespace', undefined, leaky);
    assertScenario(scenarioByName('healthy'), run);
  });
});
