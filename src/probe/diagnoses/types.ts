import type { FindingCode } from '../findings';
import type { Severity } from '../types';

/**
 * One broken thing, as the JSON result, the table, the HTML report, the telemetry and the alerts show it: the
 * root-cause finding, the object to change, one complete fix, and the findings it explains. Computed once per vault
 * and site by `diagnose` after the checks; renderers only read it.
 */
export interface Diagnosis {
  /** The root-cause finding's code. */
  readonly code: FindingCode;
  /** The worst severity among the root and the findings it explains. */
  readonly severity: Severity;
  /** The root code's title. */
  readonly title: string;
  /** The root finding's message, with the concrete values. */
  readonly message: string;
  /** What to do, in words: the root finding's remediation (the order of the fix commands, and why). */
  readonly remediation: string;
  /**
   * The ARM ID of the object to change (a record set, a zone, a zone link, a forwarding ruleset, an endpoint
   * connection, a VNet, the vault); null where the object is not an ARM resource (a hosts file, a proxy setting).
   */
  readonly resourceId: string | null;
  /** The object to change, in words: `record set kv-orders in zone privatelink.vaultcore.azure.net (dns)`. */
  readonly object: string;
  /** Commands that change something, in order: together they repair the root. Empty when no command can. */
  readonly fix: readonly string[];
  /** Commands that only read: how to see the fault, and that the fix worked. */
  readonly confirm: readonly string[];
  /** The codes of the findings this one explains, in report order, each once. */
  readonly explains: readonly FindingCode[];
  /** The root finding's index in the result's `findings`. */
  readonly root: number;
  /** The explained findings' indexes in the result's `findings`, in report order. */
  readonly explained: readonly number[];
}
