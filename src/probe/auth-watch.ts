import { summarize, type RunReport, type VaultResult } from './report';

/** The findings that say the authenticated read was not made or not accepted. */
const LOST = new Set(['DATAPLANE_TOKEN_REJECTED', 'DATAPLANE_AUTH_UNAVAILABLE']);

/** True when a token was sent and Key Vault judged the read on its merits (any answer but a 401 or a failure). */
function authenticatedReadWorked(r: VaultResult): boolean {
  return r.dataplane.some((o) => o.authenticated?.status !== undefined && o.authenticated.status !== 401);
}

const keyOf = (report: RunReport, r: VaultResult): string =>
  `${report.location}|${(r.vaultId ?? r.vault).toLowerCase()}`;

/**
 * Across the timer's runs (in the process's life): a vault whose authenticated read worked in an earlier run and is
 * now lost (token rejected or unavailable) has lost the one check that reproduces the 403. Those findings are then
 * raised to error and the vault's status, if healthy, to unknown: its root cause is the probe's own (`probe`), which
 * the vault-unknown alert routes. A vault never read with a token keeps the warnings (nothing was lost).
 */
export class AuthenticatedReadWatch {
  private readonly worked = new Set<string>();

  next(report: RunReport): RunReport {
    const results = report.results.map((r) => {
      const key = keyOf(report, r);
      if (authenticatedReadWorked(r)) {
        this.worked.add(key);
        return r;
      }
      if (!this.worked.has(key) || !r.findings.some((f) => LOST.has(f.code))) return r;
      const findings = r.findings.map((f) =>
        LOST.has(f.code)
          ? {
              ...f,
              severity: 'error' as const,
              message: `${f.message} The authenticated read worked in an earlier run: the probe has lost the check that reproduces the 403.`,
            }
          : f,
      );
      // The diagnoses that hold a raised finding (as root or explained) are raised with it: the telemetry and the
      // alerts read the diagnoses.
      const raised = (i: number): boolean => LOST.has(r.findings[i]?.code ?? '');
      const diagnoses = r.diagnoses.map((d) =>
        [d.root, ...d.explained].some(raised)
          ? { ...d, severity: 'error' as const, message: findings[d.root]?.message ?? d.message }
          : d,
      );
      return {
        ...r,
        status: r.status === 'healthy' ? ('unknown' as const) : r.status,
        findings,
        diagnoses,
      };
    });
    return { ...report, results, summary: summarize(results, report.summary.skipped) };
  }
}
