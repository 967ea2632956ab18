import type { FindingCode } from '../findings';
import type { FactKind } from './facts';
import { RULES, type ExplanationRule } from './rules';

/** One edge of the rule table as a finding's page states it: the other code, the fact shared, and why. */
export interface Relation {
  readonly code: FindingCode;
  readonly shared: FactKind;
  readonly because: string;
}

/** What `code` explains, by the rule table, in table order (a code explaining its own kind included). */
export function explainsOf(code: FindingCode, rules: readonly ExplanationRule[] = RULES): Relation[] {
  return rules
    .filter((r) => r.root === code)
    .flatMap((r) => r.explains.map((c) => ({ code: c, shared: r.shared, because: r.because })));
}

/** What explains `code`, by the rule table, in table order: the first that applies wins. */
export function explainedByOf(code: FindingCode, rules: readonly ExplanationRule[] = RULES): Relation[] {
  return rules
    .filter((r) => r.explains.includes(code))
    .map((r) => ({ code: r.root, shared: r.shared, because: r.because }));
}
