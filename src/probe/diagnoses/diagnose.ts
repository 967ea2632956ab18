import { FINDINGS, type FindingCode } from '../findings';
import type { Severity } from '../types';
import { factsOf, share, type Facts } from './facts';
import { objectOf } from './object';
import { RULES, type ExplanationRule } from './rules';
import type { Diagnosis } from './types';

/** What `diagnose` reads of a finding. */
export interface DiagnosableFinding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly remediation: string;
  readonly details: unknown;
  readonly resourceId?: string | null | undefined;
  readonly fix?: readonly string[] | undefined;
  readonly confirm?: readonly string[] | undefined;
}

export interface DiagnoseResult {
  readonly diagnoses: readonly Diagnosis[];
  /** By finding index: the root code that explains it, null for a root. */
  readonly explainedBy: readonly (FindingCode | null)[];
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** The index of the finding that explains finding `y` directly, by the first rule that applies; -1 when none. */
function explainer(
  y: number,
  codes: readonly FindingCode[],
  facts: readonly Facts[],
  rules: readonly ExplanationRule[],
): number {
  const code = codes[y] as FindingCode;
  for (const rule of rules) {
    if (!rule.explains.includes(code)) continue;
    // The same code is explained only by an earlier finding: of two, the first is the root.
    const end = rule.root === code ? y : codes.length;
    for (let x = 0; x < end; x++) {
      if (x !== y && codes[x] === rule.root && share(facts[x] as Facts, facts[y] as Facts, rule.shared)) return x;
    }
  }
  return -1;
}

/**
 * Groups one vault's findings into diagnoses: each finding is explained (through a chain of rules) by one root,
 * or is a root. Pure: the same findings give the same diagnoses, in the order of their roots.
 */
export function diagnose(
  findings: readonly DiagnosableFinding[],
  rules: readonly ExplanationRule[] = RULES,
): DiagnoseResult {
  const codes = findings.map((f) => f.code);
  const facts = findings.map((f) => factsOf(f as Parameters<typeof factsOf>[0]));
  const direct = findings.map((_, y) => explainer(y, codes, facts, rules));
  const rootOf = (y: number): number => {
    const seen = new Set<number>();
    let at = y;
    // A cycle cannot arise from RULES (tested), but a table given by a test could make one: stop where it closes.
    while ((direct[at] as number) >= 0 && !seen.has(at)) {
      seen.add(at);
      at = direct[at] as number;
    }
    return at;
  };
  const roots = findings.map((_, i) => rootOf(i));
  const diagnoses: Diagnosis[] = [];
  findings.forEach((f, i) => {
    if (roots[i] !== i) return;
    const explained = roots.flatMap((r, j) => (r === i && j !== i ? [j] : []));
    const members = [f, ...explained.map((j) => findings[j] as DiagnosableFinding)];
    const severity = members.reduce<Severity>((s, m) => (RANK[m.severity] > RANK[s] ? m.severity : s), 'info');
    diagnoses.push({
      code: f.code,
      severity,
      title: FINDINGS[f.code].title,
      message: f.message,
      remediation: f.remediation,
      resourceId: f.resourceId ?? null,
      object: objectOf(f.code, f.resourceId),
      fix: [...(f.fix ?? [])],
      confirm: [...(f.confirm ?? [])],
      explains: [...new Set(explained.map((j) => codes[j] as FindingCode))],
      root: i,
      explained,
    });
  });
  return { diagnoses, explainedBy: roots.map((r, i) => (r === i ? null : (codes[r] as FindingCode))) };
}
