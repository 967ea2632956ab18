import { ownDiagnoses } from './builders';
import { AuthenticatedReadWatch } from '../../src/probe/auth-watch';
import type { ReportedFinding, RunReport, VaultResult } from '../../src/probe/report';
import { stateOf } from '../../src/telemetry/state';

const lost = (code: 'DATAPLANE_TOKEN_REJECTED' | 'DATAPLANE_AUTH_UNAVAILABLE'): ReportedFinding =>
  ({
    code,
    severity: 'warning',
    title: 't',
    message: 'No token.',
    remediation: 'r',
    resourceId: null,
    command: null,
    details: {},
  }) as unknown as ReportedFinding;

/** One vault's result: the authenticated read answered `readStatus` (403 here: judged on its merits), or none. */
const result = (findings: ReportedFinding[], readStatus?: number): VaultResult =>
  ({
    vault: 'kv1',
    vaultId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1',
    scope: 'vault',
    host: 'kv1.vault.azure.net',
    status: 'healthy',
    dataplane: [
      {
        address: '10.0.0.4',
        status: 200,
        tcpConnectionForbidden: false,
        timings: { totalMs: 1 },
        ...(readStatus
          ? { authenticated: { status: readStatus, path: '/secrets', tcpConnectionForbidden: false } }
          : {}),
      },
    ],
    findings,
    diagnoses: ownDiagnoses(findings),
  }) as unknown as VaultResult;

const report = (r: VaultResult): RunReport => ({
  location: 'hub',
  runId: 'r',
  startedAt: '',
  durationMs: 1,
  summary: { vaults: 1, healthy: 1, unhealthy: 0, unknown: 0, skipped: 0 },
  results: [r],
});

describe('losing the authenticated read after it worked (issue 21)', () => {
  it('raises the lost read to error, the vault to unknown, and its root cause to the probe', () => {
    const watch = new AuthenticatedReadWatch();
    watch.next(report(result([], 403)));
    const next = watch.next(report(result([lost('DATAPLANE_TOKEN_REJECTED')], 401)));
    const r = next.results[0];
    expect(r?.status).toBe('unknown');
    expect(r?.findings.map((f) => f.severity)).toEqual(['error']);
    expect(r?.findings[0]?.message).toMatch(/lost the check that reproduces the 403/);
    expect(r?.diagnoses.map((d) => d.severity)).toEqual(['error']);
    expect(r ? stateOf(r).cause : undefined).toBe('probe');
    expect(next.summary).toMatchObject({ healthy: 0, unknown: 1 });
  });

  it('leaves the warning alone for a vault never read with a token, and after the read works again', () => {
    const watch = new AuthenticatedReadWatch();
    expect(watch.next(report(result([lost('DATAPLANE_AUTH_UNAVAILABLE')]))).results[0]?.findings[0]?.severity).toBe(
      'warning',
    );
    watch.next(report(result([], 200)));
    const recovered = watch.next(report(result([], 200)));
    expect(recovered.results[0]?.status).toBe('healthy');
    expect(watch.next(report(result([lost('DATAPLANE_AUTH_UNAVAILABLE')]))).results[0]?.findings[0]?.severity).toBe(
      'error',
    );
  });
});
