import type { Finding, FindingCode } from '../findings';
import type { ArmReadError, Severity } from '../types';
import type { EstateStatus, Judgement } from './judge';
import type { Coverage, VnetPrediction } from './predict';

/** A finding that breaks (VNet, vault) pairs, with how many and where: one per object to fix (and VNet, for links). */
export interface EstateDiagnosis {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  /** The object to fix. */
  readonly resourceId: string | null;
  /** The command that fixes it. */
  readonly command: string | null;
  /** The VNets whose pairs it breaks. */
  readonly vnets: readonly string[];
  /** The vaults it breaks, by name (at most 20 listed; `vaults` counts them all). */
  readonly sampleVaults: readonly string[];
  readonly vaults: number;
  /** (VNet, vault) pairs it breaks: the rank. */
  readonly pairs: number;
}

export interface EstatePair {
  readonly vault: string;
  readonly vaultId: string;
  readonly status: EstateStatus;
  /** `CODE resourceId` of each diagnosis (see `diagnoses` at the top). */
  readonly diagnoses: readonly string[];
}

export interface EstateVnet {
  readonly vnetId: string;
  readonly coverage: Coverage;
  readonly resolvedBy: readonly string[];
  readonly server?: string;
  readonly reason?: string;
  readonly counts: Readonly<Record<EstateStatus, number>>;
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
  readonly vnets: readonly EstateVnet[];
  readonly errors: readonly ArmReadError[];
}

const zeroStatus = (): Record<EstateStatus, number> => ({ healthy: 0, unhealthy: 0, unknown: 0, unreachable: 0 });

/** Collects the judgements of a run into the report: pairs per VNet, diagnoses aggregated by their object. */
export class EstateCollector {
  private readonly vnets: EstateVnet[] = [];
  private readonly causes = new Map<Finding, { vnets: Set<string>; vaults: Set<string>; pairs: number }>();
  private readonly status = zeroStatus();
  private pairs = 0;

  constructor(private readonly all: boolean) {}

  /** One VNet with the judgement of each vault (same order as `vaults`). */
  add(p: VnetPrediction, vaults: readonly { name: string; id: string }[], judged: readonly Judgement[]): void {
    const counts = zeroStatus();
    const results: EstatePair[] = [];
    judged.forEach((j, i) => {
      counts[j.status]++;
      const v = vaults[i];
      if (!v) return;
      for (const f of j.diagnoses) {
        let c = this.causes.get(f);
        if (!c) {
          c = { vnets: new Set(), vaults: new Set(), pairs: 0 };
          this.causes.set(f, c);
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
          diagnoses: j.diagnoses.map((f) => `${f.code} ${f.resourceId ?? ''}`.trim()),
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
      counts,
      results,
    });
  }

  report(meta: { location: string; vaults: number; errors: readonly ArmReadError[]; now?: Date }): EstateReport {
    const diagnoses: EstateDiagnosis[] = [...this.causes.entries()]
      .map(([f, c]) => ({
        code: f.code,
        severity: f.severity,
        message: f.message,
        resourceId: f.resourceId ?? null,
        command: f.command ?? null,
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
        vaults: meta.vaults,
        pairs: this.pairs,
        status: { ...this.status },
        coverage,
        diagnoses: diagnoses.length,
      },
      diagnoses,
      vnets: this.vnets,
      errors: meta.errors,
    };
  }
}
