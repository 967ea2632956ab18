import type { CloudProfile } from '../clouds';
import type { Finding } from '../findings';
import type { ExpectedState, ObservedState } from '../types';

/** What every check judges. `expected` is undefined when ARM could not be read. */
export interface CheckInput {
  readonly cloud: CloudProfile;
  readonly expected: ExpectedState | undefined;
  readonly observed: ObservedState;
  /** The privatelink host the configuration named the vault by, if it did. */
  readonly configuredAs?: string;
  /** The VNet the probe runs in (PROBE_VNET_ID / --vnet). */
  readonly vnetId?: string;
}

/** A pure judgement: no I/O, no clock, no logger. */
export type Check = (input: CheckInput) => Finding[];
