import type { Diagnosis } from '../diagnoses';
import type { FindingCode } from '../findings';
import type { ArmReadError, Severity } from '../types';
import { causeKey } from './diagnose';
import type { EstateStatus } from './judge';
import type { Coverage, VnetPrediction } from './predict';

/**
 * A diagnosis (as `diagnose` makes it for a site) that breaks (VNet, vault) pairs, with how many and where: one per
 * object and change (one per VNet for a missing link).
 */
export interface EstateDiagnosis {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  /** The ARM ID of the object to fix. */
  readonly resourceId: string | null;
  /** The object to fix, in words. */
  readonly object: string;
  /** The commands that fix it, in order; `confirm` only reads. */
  readonly fix: readonly string[];
  readonly confirm: readonly string[];
  /** The fix, one command a line; else the first read (the telemetry's single field). */
  readonly command: string | null;
  /** The VNets whose pairs it breaks. */
  readonly vnets: readonly string[];
  /** The vaults it breaks, by name (at most 20 listed; `vaults` counts them all). */
  readonly sampleVaults: readonly string[];
  readonly vaults: number;
  /** (VNet, vault) pairs it breaks: the rank. */
  readonly pairs: number;
}

/** A pair's diagnosis: its root code and the object to fix (the whole diagnosis is in the report's `diagnoses`). */
export interface PairDiagnosis {
  readonly code: FindingCode;
  readonly resourceId: string | null;
  readonly object: string;
}

export interface EstatePair {
  readonly vault: string;
  readonly vaultId: string;
  readonly status: EstateStatus;
  readonly diagnoses: readonly PairDiagnosis[];
}

/** A pair as the collector takes it: its status and its diagnoses. */
export interface DiagnosedPair {
  readonly status: EstateStatus;
  readonly diagnoses: readonly Diagnosis[];
}

export interface EstateVnet {
  readonly vnetId: string;
  readonly coverage: Coverage;
  readonly resolvedBy: readonly string[];
  readonly server?: string;
  readonly reason?: string;
  /** The site (its location) that asked `server` directly (coverage `queried`). */
  readonly queriedBy?: string;
  readonly counts: Readonly<Record<EstateStatus, number>>;
  /** One character per vault, in the order of `vaultNames`: `.` healthy, `x` unhealthy, `?` unknown, `-` unreachable. */
  readonly matrix: string;
  /** Every pair that is not healthy; healthy ones too with `all`. */
  readonly results: readonly EstatePair[];
}

export interface EstateSummary {
  readonly vnets: number;
  readonly vaults: number;
  readonly pairs: number;
  readonly status: Readonly<Record<EstateStatus, number>>;
  readonly coverage: Readonly<Record<Coverage, number>>;
  readonly diagnoses: number;
}

/** What `kvprobe map` prints and the estate pass sends: `{ summary, diagnoses, vnets }`. */
export interface EstateReport {
  readonly kind: 'estate';
  readonly generatedAt: string;
  readonly location: string;
  readonly summary: EstateSummary;
  /** Ranked by the pairs each breaks. */
  readonly diagnoses: readonly EstateDiagnosis[];
  /** The vaults, in the order of each VNet's `matrix`. */
  readonly vaultNames: readonly string[];
  readonly vnets: readonly EstateVnet[];
  readonly errors: readonly ArmReadError[];
}

const CELL: Record<EstateStatus, string> = { healthy: '.', unhealthy: 'x', unknown: '?', unreachable: '-' };

const zeroStatus = (): Record<EstateStatus, number> => ({ healthy: 0, unhealthy: 0, unknown: 0, unreachable: 0 });

/** Collects the judgements of a run into the report: pairs per VNet, diagnoses aggregated by their object. */
export class EstateCollector {
  private readonly vnets: EstateVnet[] = [];
  private readonly causes = new Map<
    string,
    { diagnosis: Diagnosis; vnets: Set<string>; vaults: Set<string>; pairs: number }
  >();
  private readonly status = zeroStatus();
  private pairs = 0;

  constructor(private readonly all: boolean) {}

  /** One VNet with the judgement of each vault (same order as `vaults`). */
  add(p: VnetPrediction, vaults: readonly { name: string; id: string }[], judged: readonly DiagnosedPair[]): void {
    const counts = zeroStatus();
    const results: EstatePair[] = [];
    let matrix = '';
    judged.forEach((j, i) => {
      counts[j.status]++;
      matrix += CELL[j.status];
      const v = vaults[i];
      if (!v) return;
      for (const d of j.diagnoses) {
        const key = this.keyOf(d);
        let c = this.causes.get(key);
        if (!c) {
          c = { diagnosis: d, vnets: new Set(), vaults: new Set(), pairs: 0 };
          this.causes.set(key, c);
        }
        c.vnets.add(p.vnetId);
        c.vaults.add(v.name);
        c.pairs++;
      }
      if (this.all || j.status !== 'healthy')
        results.push({
          vault: v.name,
          vaultId: v.id,
          status: j.status,
          diagnoses: j.diagnoses.map((d) => this.refOf(d)),
        });
    });
    for (const k of Object.keys(counts) as EstateStatus[]) this.status[k] += counts[k];
    this.pairs += judged.length;
    this.vnets.push({
      vnetId: p.vnetId,
      coverage: p.coverage,
      resolvedBy: p.resolvedBy,
      ...(p.server ? { server: p.server } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.queriedBy ? { queriedBy: p.queriedBy } : {}),
      counts,
      matrix,
      results,
    });
  }

  private readonly keys = new WeakMap<Diagnosis, string>();
  private readonly refs = new WeakMap<Diagnosis, PairDiagnosis>();

  private keyOf(d: Diagnosis): string {
    let key = this.keys.get(d);
    if (key === undefined) {
      key = causeKey(d);
      this.keys.set(d, key);
    }
    return key;
  }

  /** One small object per diagnosis however many pairs it breaks. */
  private refOf(d: Diagnosis): PairDiagnosis {
    let ref = this.refs.get(d);
    if (ref === undefined) {
      ref = { code: d.code, resourceId: d.resourceId, object: d.object };
      this.refs.set(d, ref);
    }
    return ref;
  }

  report(meta: {
    location: string;
    vaultNames: readonly string[];
    errors: readonly ArmReadError[];
    now?: Date;
  }): EstateReport {
    const diagnoses: EstateDiagnosis[] = [...this.causes.values()]
      .map(({ diagnosis: d, ...c }) => ({
        code: d.code,
        severity: d.severity,
        title: d.title,
        message: d.message,
        resourceId: d.resourceId,
        object: d.object,
        fix: d.fix,
        confirm: d.confirm,
        command: d.fix.length > 0 ? d.fix.join('\n') : (d.confirm[0] ?? null),
        vnets: [...c.vnets],
        sampleVaults: [...c.vaults].slice(0, 20),
        vaults: c.vaults.size,
        pairs: c.pairs,
      }))
      .sort(
        (a, b) =>
          b.pairs - a.pairs ||
          a.code.localeCompare(b.code) ||
          (a.resourceId ?? '').localeCompare(b.resourceId ?? '') ||
          (a.vnets[0] ?? '').localeCompare(b.vnets[0] ?? ''),
      );
    const coverage: Record<Coverage, number> = { observed: 0, queried: 0, predicted: 0, unknown: 0 };
    for (const v of this.vnets) coverage[v.coverage]++;
    return {
      kind: 'estate',
      generatedAt: (meta.now ?? new Date()).toISOString(),
      location: meta.location,
      summary: {
        vnets: this.vnets.length,
        vaults: meta.vaultNames.length,
        pairs: this.pairs,
        status: { ...this.status },
        coverage,
        diagnoses: diagnoses.length,
      },
      diagnoses,
      vaultNames: meta.vaultNames,
      vnets: this.vnets,
      errors: meta.errors,
    };
  }
}
