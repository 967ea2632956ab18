import type { Severity } from '../types';

/**
 * Routing categories, most upstream first. A vault's root cause in a run is the first of these among its error
 * findings: an unreadable inventory explains everything after it, an unapproved endpoint explains the DNS and data
 * plane errors that follow from it, a broken zone explains the resolver's wrong answer, and so on. Alerts select by
 * cause (src/telemetry/alert-rules.ts routes each cause to exactly one rule); adding a cause here makes the compiler
 * ask for its route there, and for its file of codes in findings/index.ts.
 *
 * - inventory: the expected state could not be read (ARM permissions, scope, vault not found).
 * - probe: the probe itself could not finish (run deadline).
 * - endpoint: the private endpoint or its connection (approval, provisioning, none at all).
 * - zone: the private DNS zone and its links (stale or missing records, unlinked zone, NXDOMAIN split brain).
 * - dns: what the resolvers clients use answer (wrong IP, public IP, no CNAME, failures, custom DNS servers).
 * - dataplane: the HTTPS connection to the vault (403s, unreachable, arrived publicly).
 * - client: client-side settings that bypass private link (proxy, privatelink host name).
 */
export const FINDING_CAUSES = ['inventory', 'probe', 'endpoint', 'zone', 'dns', 'dataplane', 'client'] as const;
export type FindingCause = (typeof FINDING_CAUSES)[number];

export interface FindingInfo {
  /** The severity used unless a check has a reason to lower it. */
  readonly severity: Severity;
  readonly title: string;
  /**
   * When the probe reports it, in a phrase with the facts a reader needs (which values, which limits): the "when"
   * column of the README's Findings table (Markdown; `npm run readme` writes it there).
   */
  readonly when: string;
  /** What a check may change about the default severity, or the status the vault gets (Markdown, for the README). */
  readonly severityNote?: string;
  /** The generic fix; checks may give a more concrete one. */
  readonly remediation: string;
  /** The routing category: which alert rule an error of this code reaches (see FINDING_CAUSES). */
  readonly cause: FindingCause;
}

/** The rows of one cause's codes: one per code of its details, each of that cause. */
export type CauseTable<Details, C extends FindingCause> = {
  readonly [K in keyof Details]: FindingInfo & { readonly cause: C };
};
