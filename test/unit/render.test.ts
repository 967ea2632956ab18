import { exitCodeFor, renderTable } from '../../src/cli/render';
import { diagnose } from '../../src/probe/diagnoses';
import type { RunReport, VaultResult } from '../../src/probe/report';

const result = (vault: string, status: VaultResult['status'], command: string | null): VaultResult => ({
  vault,
  vaultId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${vault}`,
  scope: 'vault',
  host: `${vault}.vault.azure.net`,
  status,
  publicNetworkAccess: 'Disabled',
  expected: [{ ip: '10.0.0.4', privateEndpointId: 'pe', connectionStatus: 'Approved', provisioningState: 'Succeeded' }],
  resolved: {
    os: { addresses: ['10.0.0.9'], error: null },
    dns: { servers: [], cnames: [], addresses: ['10.0.0.9'], ttl: 10, error: null },
  },
  dataplane: [],
  addressesHash: 'abc',
  findings:
    status === 'healthy'
      ? []
      : [
          {
            code: 'ZONE_RECORD_STALE',
            severity: 'error',
            title: 't',
            message: 'stale',
            remediation: 'remove it',
            resourceId: 'rid',
            fix: command ? [command] : [],
            confirm: [],
            explainedBy: null,
            details: { zone: 'z', record: 'r', address: '10.0.0.9' },
          },
        ],
  diagnoses: [],
  timings: {},
});

/** The result with the diagnoses the engine would store for its findings. */
const diagnosed = (r: VaultResult): VaultResult => ({ ...r, diagnoses: diagnose(r.findings).diagnoses });

const report = (results: VaultResult[]): RunReport => ({
  location: 'lab',
  runId: 'r',
  startedAt: '2026-11-28T00:00:00.000Z',
  durationMs: 12,
  summary: {
    vaults: results.length,
    healthy: results.filter((r) => r.status === 'healthy').length,
    unhealthy: results.filter((r) => r.status === 'unhealthy').length,
    unknown: results.filter((r) => r.status === 'unknown').length,
    skipped: 0,
  },
  results,
});

describe('the table for people', () => {
  it('prints each diagnosis with its root object, its fix and the command to run', () => {
    const text = renderTable(
      report([
        diagnosed(
          result(
            'kv1',
            'unhealthy',
            'az network private-dns record-set a remove-record -g dns -z z -n kv1 -a 10.0.0.9',
          ),
        ),
      ]),
    );
    expect(text).toContain('FAIL  kv1');
    expect(text).toContain('ERROR   ZONE_RECORD_STALE: rid');
    expect(text).toContain('              stale');
    expect(text).toContain('fix: remove it');
    expect(text).toContain('run: az network private-dns record-set a remove-record -g dns -z z -n kv1 -a 10.0.0.9');
  });

  it('omits the run line when a finding has no command', () => {
    expect(renderTable(report([result('kv1', 'unhealthy', null)]))).not.toContain('run:');
  });

  it.each([
    [['healthy'], 0],
    [['healthy', 'unhealthy', 'unknown'], 1],
    [['healthy', 'unknown'], 3],
  ] as const)('exit code for %j is %d', (statuses, code) => {
    expect(exitCodeFor(report(statuses.map((s, i) => result(`kv${i}`, s, null))))).toBe(code);
  });
});
