import { filterReport } from '../../src/cli/filter';
import { exitCodeFor, renderTable } from '../../src/cli/render';
import { runHints } from '../../src/probe/hints';
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

/** kv1: a stale record explaining the wrong answer; kv2 healthy; kv3 unknown. */
function triage(): RunReport {
  const stale = diagnosed(result('kv1', 'unhealthy', 'az network private-dns record-set a remove-record -n kv1'));
  const mismatch = {
    ...(stale.findings[0] as VaultResult['findings'][number]),
    code: 'DNS_PRIVATE_IP_MISMATCH' as const,
    message: 'resolves to 10.0.0.9',
    fix: [],
    details: { address: '10.0.0.9', expected: ['10.0.0.4'], resolver: 'os' as const },
  };
  const kv1 = diagnosed({ ...stale, findings: [mismatch, ...stale.findings] });
  return report([kv1, result('kv2', 'healthy', null), { ...result('kv3', 'unknown', null), findings: [] }]);
}

describe('triage in the table', () => {
  it('folds the explained findings under their root, and prints them with --all-findings', () => {
    const folded = renderTable(triage());
    expect(folded).toContain('ERROR   ZONE_RECORD_STALE: rid  (+1 explained)');
    expect(folded).not.toContain('DNS_PRIVATE_IP_MISMATCH: resolves to 10.0.0.9');
    expect(folded).toContain('(+N explained): findings that follow from the diagnosis above them');
    const all = renderTable(triage(), { allFindings: true });
    expect(all).toContain('                ERROR   DNS_PRIVATE_IP_MISMATCH: resolves to 10.0.0.9');
  });

  it('ends with the diagnoses by broken object, the vaults and the site', () => {
    expect(renderTable(triage())).toContain(
      'Diagnoses by object (1), site lab:\n  ERROR   ZONE_RECORD_STALE  rid  vaults: kv1\n',
    );
  });

  it('explains ~ when an expectation is assumed, and prints the hints first', () => {
    const r = triage();
    const assumed = {
      ...r,
      hints: ['outside the VNet'],
      results: r.results.map((x) => ({
        ...x,
        expectation: {
          kind: 'private' as const,
          assumed: true,
          endpoints: [],
          publicAccess: 'disabled',
          text: '~private',
        },
      })),
    };
    const text = renderTable(assumed);
    expect(text).toContain('~ in EXPECTED: assumed, not known.');
    expect(text.split('\n')[1]).toBe('Hint: outside the VNet');
    expect(renderTable(triage())).not.toContain('~ in EXPECTED');
  });

  it('filters by status and by code; the run summary (and so the exit code) keeps every vault', () => {
    const r = triage();
    expect(filterReport(r, { statuses: ['unhealthy', 'unknown'], codes: [] }).results.map((x) => x.vault)).toEqual([
      'kv1',
      'kv3',
    ]);
    const byCode = filterReport(r, { statuses: [], codes: ['DNS_PRIVATE_IP_MISMATCH'] });
    expect(byCode.results.map((x) => [x.vault, x.diagnoses.map((d) => d.code)])).toEqual([
      ['kv1', ['ZONE_RECORD_STALE']],
    ]);
    expect(filterReport(r, { statuses: [], codes: ['DNS_PUBLIC_IP'] }).results).toEqual([]);
    expect(exitCodeFor(filterReport(r, { statuses: ['healthy'], codes: [] }))).toBe(1);
  });
});

describe('the outside-the-VNet hint', () => {
  const at = (vault: string, addresses: string[]): VaultResult => ({
    ...result(vault, 'unhealthy', null),
    expectation: { kind: 'private', assumed: true, endpoints: [], publicAccess: 'disabled', text: '~private' },
    resolved: {
      os: { addresses, error: null },
      dns: { servers: [], cnames: [], addresses, ttl: 10, error: null },
    },
  });
  it('is given when no VNet was named and every private vault resolved publicly', () => {
    expect(runHints([at('kv1', ['20.1.1.1']), at('kv2', ['20.1.1.2'])], false)).toHaveLength(1);
    expect(runHints([at('kv1', ['20.1.1.1'])], false)[0]).toMatch(/^Every vault with a private endpoint \(1\)/);
  });
  it('is not given with --vnet, with one private answer, or with no private vault', () => {
    expect(runHints([at('kv1', ['20.1.1.1'])], true)).toEqual([]);
    expect(runHints([at('kv1', ['20.1.1.1']), at('kv2', ['10.0.0.4'])], false)).toEqual([]);
    expect(runHints([result('kv1', 'healthy', null)], false)).toEqual([]);
  });
});
