import type { CloudProfile } from '../clouds';
import type { Finding } from '../findings';
import type { ExpectedState, ObservedState } from '../types';

/** What every check judges. `expected` is undefined when ARM could not be read. */
export interface CheckInput {
  readonly cloud: CloudProfile;
  readonly expected: ExpectedState | undefined;
  readonly observed: ObservedState;
}

/** A pure judgement: no I/O, no clock, no logger. */
export type Check = (input: CheckInput) => Finding[];
