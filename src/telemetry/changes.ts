import { createHash } from 'node:crypto';
import type { FindingCause } from '../probe/findings';
import type { ReportedFinding, RunReport, VaultResult } from '../probe/report';
import { causeOf } from './causes';

/** Why a finding event is sent this run. */
export type FindingChange = 'new' | 'changed' | 'refresh';

export interface FindingToSend {
  readonly result: VaultResult;
  readonly finding: ReportedFinding;
  readonly change: FindingChange;
  readonly detailHash: string;
}

export interface ResolvedFinding {
  readonly vault: string;
  readonly vaultId: string | null;
  readonly code: ReportedFinding['code'];
  readonly cause: FindingCause;
  readonly severity: ReportedFinding['severity'];
  readonly detailHash: string;
}

/** What one run sends: the findings that are new, changed or due for a refresh, and those that went away. */
export interface FindingSelection {
  readonly send: readonly FindingToSend[];
  readonly resolved: readonly ResolvedFinding[];
}

/** First 16 hex digits of SHA-256 over what makes a finding "the same" between runs. */
export function detailHash(f: Pick<ReportedFinding, 'severity' | 'details' | 'resourceId'>): string {
  return createHash('sha256')
    .update(JSON.stringify([f.severity, f.resourceId, f.details]))
    .digest('hex')
    .slice(0, 16);
}

/** Every finding of the report, as sent when there is no earlier state (the CLI, the HTTP trigger, a fresh process). */
export function allFindings(report: RunReport): FindingSelection {
  return {
    send: report.results.flatMap((result) =>
      result.findings.map((finding) => ({ result, finding, change: 'new' as const, detailHash: detailHash(finding) })),
    ),
    resolved: [],
  };
}

interface Entry {
  readonly vault: string;
  readonly vaultId: string | null;
  readonly code: ReportedFinding['code'];
  readonly severity: ReportedFinding['severity'];
  readonly hash: string;
  /** The run that last sent it. */
  readonly sentRun: number;
  /** The last run whose report had a verdict on it (the vault present and not unknown). */
  readonly seenRun: number;
}

const vaultKey = (r: Pick<VaultResult, 'vault' | 'vaultId'>): string => (r.vaultId ?? r.vault).toLowerCase();

/**
 * Sends a finding event only when a (vault, site, code, detail hash) appears or changes, again every `refreshRuns`
 * runs while it lasts, and a resolved event when it disappears. The state lives in this object, in the process: after
 * a restart everything is sent once, as new. A vault whose result is `unknown` (ARM unreadable, run deadline) keeps
 * its earlier findings open, because nothing was judged; a vault that leaves the report is resolved after
 * `refreshRuns` runs without it.
 */
export class FindingChangeTracker {
  private run = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(readonly refreshRuns: number) {
    if (!Number.isInteger(refreshRuns) || refreshRuns < 1)
      throw new RangeError(`refreshRuns must be a whole number >= 1, got ${refreshRuns}`);
  }

  /** The findings to send for this run; advances the state as if they were delivered. */
  next(report: RunReport): FindingSelection {
    this.run += 1;
    const run = this.run;
    const send: FindingToSend[] = [];
    const seen = new Set<string>();
    const judged = new Set<string>();
    const present = new Set<string>();
    for (const result of report.results) {
      const vk = vaultKey(result);
      present.add(vk);
      if (result.status !== 'unknown') judged.add(vk);
      const occurrence = new Map<string, number>();
      for (const finding of result.findings) {
        const n = occurrence.get(finding.code) ?? 0;
        occurrence.set(finding.code, n + 1);
        const key = `${report.location}\u0000${vk}\u0000${finding.code}\u0000${n}`;
        seen.add(key);
        const hash = detailHash(finding);
        const before = this.entries.get(key);
        const change: FindingChange | undefined =
          before === undefined
            ? 'new'
            : before.hash !== hash
              ? 'changed'
              : run - before.sentRun >= this.refreshRuns
                ? 'refresh'
                : undefined;
        const entry = {
          vault: result.vault,
          vaultId: result.vaultId,
          code: finding.code,
          severity: finding.severity,
          hash,
          seenRun: run,
        };
        if (change === undefined && before !== undefined) {
          this.entries.set(key, { ...entry, sentRun: before.sentRun });
          continue;
        }
        this.entries.set(key, { ...entry, sentRun: run });
        if (change !== undefined) send.push({ result, finding, change, detailHash: hash });
      }
    }
    const resolved: ResolvedFinding[] = [];
    for (const [key, e] of this.entries) {
      if (seen.has(key) || !key.startsWith(`${report.location}\u0000`)) continue;
      const vk = vaultKey(e);
      const gone = judged.has(vk) || (!present.has(vk) && run - e.seenRun >= this.refreshRuns);
      if (!gone) continue;
      this.entries.delete(key);
      resolved.push({
        vault: e.vault,
        vaultId: e.vaultId,
        code: e.code,
        cause: causeOf(e.code),
        severity: e.severity,
        detailHash: e.hash,
      });
    }
    return { send, resolved };
  }

  /** Forgets everything: the next run sends every finding again (used when a run's telemetry was not confirmed). */
  forget(): void {
    this.entries.clear();
  }

  /** Open findings held, for tests and the heartbeat. */
  get size(): number {
    return this.entries.size;
  }
}
