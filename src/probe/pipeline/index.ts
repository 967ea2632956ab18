// The pipeline, a file per stage: discover → expected → observed → compare → report.
export type { Discovered, Discovery, ProbeDeps, ProbeRequest, ProgressEvent, ZoneGroupPolicy } from './types';
export { identify, type Identity } from './identify';
export { BudgetedReader, inventoryBudget } from './reader';
export { isDenied, toReadError } from './read-errors';
export { discover } from './discover';
export { InvalidArmValue, checkVaultValues, readExpected, readZoneGroups } from './expected';
export { readAddressOwners, readDnsState, resolutionDrifted } from './dns-state';
export { readConnectivity } from './connectivity';
export { readSite } from './site';
export { MAX_DATAPLANE_ADDRESSES, dnsServerAddress, observe, type AuthPlan } from './observe';
export { isComplete, probeOne, stepFailedResult } from './probe-one';
export { DEADLINE_GRACE_MS, runProbe } from './run';
