import { diagnose, type Diagnosis } from '../diagnoses';
import type { Finding } from '../findings';

const NONE: readonly Diagnosis[] = [];

/**
 * The diagnoses of the estate's pairs, by the same pure `diagnose` as a site's: the judge shares one finding per
 * object to fix, so each distinct set of findings is diagnosed once however many (VNet, vault) pairs it breaks.
 */
export class EstateDiagnoser {
  private readonly ids = new WeakMap<Finding, number>();
  private readonly memo = new Map<string, readonly Diagnosis[]>();
  private next = 0;

  of(findings: readonly Finding[]): readonly Diagnosis[] {
    if (findings.length === 0) return NONE;
    const key = findings.map((f) => this.idOf(f)).join(',');
    let d = this.memo.get(key);
    if (!d) {
      d = diagnose(findings).diagnoses;
      this.memo.set(key, d);
    }
    return d;
  }

  private idOf(f: Finding): number {
    let id = this.ids.get(f);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(f, id);
    }
    return id;
  }
}

/**
 * What makes two diagnoses one shared cause: the root code, the object to change (its resourceId) and the change
 * itself. A zone missing its link to 37 VNets is 37 causes (each link command names its VNet), each covering every
 * vault that link breaks.
 */
export function causeKey(d: Diagnosis): string {
  return `${d.code}|${(d.resourceId ?? '').toLowerCase()}|${d.fix.join('\n')}`;
}
