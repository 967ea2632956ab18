import { scenarioByName } from '../lab/scenarios';
import { assertScenario, runLab } from './scenario-harness';

// Loopback mode is the fallback where namespaces are unavailable (macOS, locked-down kernels): DNS through
// --dns-server, connections through --connect-to onto 127.0.0.1, getaddrinfo answered by the lab's stand-in.
// CI runs every scenario in namespace mode; this keeps the fallback honest on the scenarios that stress it most.
const SAMPLE = [
  'showcase',
  'hosts-override',
  'other-vault-ip',
  'proxy-in-path',
  'arm-hangs',
  'dns-silent',
  'mixed-case',
];

describe.each(SAMPLE)('scenario %s (CLI process and timer handler, loopback mode)', (name) => {
  it('reports the same statuses and codes as in namespace mode', () => {
    assertScenario(scenarioByName(name), runLab(name, 'loopback'), 'loopback');
  });
});
