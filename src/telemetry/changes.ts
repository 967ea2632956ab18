import { createHash } from 'node:crypto';
import type { FindingCause } from '../probe/findings';
import type { Diagnosis } from '../probe/diagnoses';
import type { RunReport, VaultResult } from '../probe/report';
import { causeOf } from './causes';

/** Why a finding event is sent this run. */
export type FindingChange = 'new' | 'changed' | 'refresh';

/** One diagnosis to send as a finding event: its root finding, with the codes it explains. */
export interface FindingToSend {
  readonly result: VaultResult;
  readonly diagnosis: Diagnosis;
  readonly change: FindingChange;
  readonly detailHash: string;
}

export interface ResolvedFinding {
  readonly vault: string;
  readonly vaultId: string | null;
  readonly code: Diagnosis['code'];
  readonly cause: FindingCause;
  readonly severity: Diagnosis['severity'];
  readonly detailHash: string;
}

/** What one run sends: the diagnoses that are new, changed or due for a refresh, and those that went away. */
export interface FindingSelection {
  readonly send: readonly FindingToSend[];
  readonly resolved: readonly ResolvedFinding[];
}

/**
 * First 16 hex digits of SHA-256 over what makes a diagnosis "the same" between runs: its severity, the object to
 * change, the root finding's details and the codes it explains.
 */
export function detailHash(result: Pick<VaultResult, 'findings'>, d: Diagnosis): string {
  return createHash('sha256')
    .update(JSON.stringify([d.severity, d.resourceId, result.findings[d.root]?.details ?? null, d.explains]))
    .digest('hex')
    .slice(0, 16);
}

/** Every diagnosis of the report, as sent when there is no earlier state (the CLI, the HTTP trigger, a fresh process). */
export function allFindings(report: RunReport): FindingSelection {
  return {
    send: report.results.flatMap((result) =>
      result.diagnoses.map((diagnosis) => ({
        result,
        diagnosis,
        change: 'new' as const,
        detailHash: detailHash(result, diagnosis),
      })),
    ),
    resolved: [],
  };
}

interface Entry {
  readonly vault: string;
  readonly vaultId: string | null;
  readonly code: Diagnosis['code'];
  readonly severity: Diagnosis['severity'];
  readonly hash: string;
  /** The run that last sent it. */
  readonly sentRun: number;
  /** The last run whose report had a verdict on it (the vault present and not unknown). */
  readonly seenRun: number;
}

const vaultKey = (r: Pick<VaultResult, 'vault' | 'vaultId'>): string => (r.vaultId ?? r.vault).toLowerCase();

/**
 * Sends a finding event per diagnosis only when a (vault, site, code, detail hash) appears or changes, again every
 * `refreshRuns` runs while it lasts, and a resolved event when it disappears: the diagnoses, not the findings they
 * explain, are what is sent and resolved. The state lives in this object, in the process: after a restart everything
 * is sent once, as new. A vault whose result is `unknown` (ARM unreadable, run deadline) keeps its earlier diagnoses
 * open, because nothing was judged; a vault that leaves the report is resolved after `refreshRuns` runs without it.
 */
export class FindingChangeTracker {
  private run = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(readonly refreshRuns: number) {
    if (!Number.isInteger(refreshRuns) || refreshRuns < 1)
      throw new RangeError(`refreshRuns must be a whole number >= 1, got ${refreshRuns}`);
  }

  /** The diagnoses to send for this run; advances the state as if they were delivered. */
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
      for (const diagnosis of result.diagnoses) {
        const n = occurrence.get(diagnosis.code) ?? 0;
        occurrence.set(diagnosis.code, n + 1);
        const key = `${report.location}\u0000${vk}\u0000${diagnosis.code}\u0000${n}`;
        seen.add(key);
        const hash = detailHash(result, diagnosis);
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
          code: diagnosis.code,
          severity: diagnosis.severity,
          hash,
          seenRun: run,
        };
        if (change === undefined && before !== undefined) {
          this.entries.set(key, { ...entry, sentRun: before.sentRun });
          continue;
        }
        this.entries.set(key, { ...entry, sentRun: run });
        if (change !== undefined) send.push({ result, diagnosis, change, detailHash: hash });
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

  /** Forgets everything: the next run sends every diagnosis again (used when a run's telemetry was not confirmed). */
  forget(): void {
    this.entries.clear();
  }

  /** Open diagnoses held, for tests and the heartbeat. */
  get size(): number {
    return this.entries.size;
  }
}
