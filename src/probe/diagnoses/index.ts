// Diagnoses: the facts each finding carries, the rules by which one finding explains another, and `diagnose`.
export { diagnose, type DiagnosableFinding, type DiagnoseResult } from './diagnose';
export { FACT_KINDS, factsOf, share, type FactKind, type Facts } from './facts';
export { RULES, type ExplanationRule } from './rules';
export { objectOf } from './object';
export type { Diagnosis } from './types';
export { explainedByOf, explainsOf, type Relation } from './relations';
