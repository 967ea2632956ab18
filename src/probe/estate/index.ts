// The estate map (issue 25): facts read in bulk, a prediction per VNet, a judgement per (VNet, vault), one report.
export type { FirewallPolicyRecord, FirewallRecord, NetworkFacts, NetworkReads } from './facts';
export { indexFacts, type EstateIndex } from './facts';
export type { Coverage, VnetPrediction } from './predict';
export type { EstateStatus, Judgement } from './judge';
export type { EstateDiagnosis, EstatePair, EstateReport, EstateSummary, EstateVnet } from './report';
export { runMap, type EstateDeps, type EstateOptions } from './run';
