import type { CloudProfile } from '../clouds';
import { siteExpectation, type SiteExpectation } from '../expectation';
import type { Finding } from '../findings';
import type { ExpectedState, ObservedState, Site } from '../types';

/** What every check judges. `expected` is undefined when ARM could not be read. */
export interface CheckInput {
  readonly cloud: CloudProfile;
  readonly expected: ExpectedState | undefined;
  readonly observed: ObservedState;
  /** The privatelink host the configuration named the vault by, if it did. */
  readonly configuredAs?: string;
  /** The site the probe runs in (PROBE_VNET_ID / --vnet); undefined when none was given. */
  readonly site?: Site;
  /** What this site should see for the vault, computed once per vault and site; undefined without `expected`. */
  readonly expectation?: SiteExpectation;
}

/** A pure judgement: no I/O, no clock, no logger. */
export type Check = (input: CheckInput) => Finding[];

/** The input of the checks, with the site expectation computed from `expected` and `site` unless given. */
export function checkInput(input: Omit<CheckInput, 'expectation'> & { expectation?: SiteExpectation }): CheckInput {
  const { expected, site } = input;
  const expectation = input.expectation ?? (expected ? siteExpectation(expected, site) : undefined);
  return { ...input, ...(expectation ? { expectation } : {}) };
}
