import type { AuthReadGate } from '../auth-read-gate';
import type { CloudProfile } from '../clouds';
import type { DataplaneTokens } from '../dataplane-auth';
import type { Finding } from '../findings';
import type { Inventory } from '../inventory';
import type { Observer } from '../observer';
import type { SiteScope } from '../site-scope';
import type { VaultRecord, VaultTarget } from '../types';

/** What to probe and how. Built once from flags or settings. */
export interface ProbeRequest {
  readonly cloud: CloudProfile;
  readonly location: string;
  readonly subscriptions: readonly string[];
  /** Empty: every vault with a private endpoint connection in `subscriptions`. */
  readonly targets: readonly VaultTarget[];
  readonly dataplane: boolean;
  /**
   * Also send one authenticated read to each address (PROBE_DATAPLANE_AUTH): the request that reproduces the 403,
   * which /healthstatus never answers. Needs `deps.dataplaneTokens`.
   */
  readonly dataplaneAuth?: boolean;
  /** Timeout of each network request: one ARM request (a page, a retry), one DNS lookup, one HTTPS request. */
  readonly timeoutMs: number;
  /** Vaults probed at once. */
  readonly concurrency: number;
  /** The whole run's budget; vaults not finished by then are reported unknown. Keep it below the host's timeout. */
  readonly deadlineMs?: number;
  /** The VNet the probe runs in: its DNS servers and peerings decide which zones must be linked where. */
  readonly vnetId?: string | undefined;
  /**
   * The probe's subnet, when PROBE_VNET_ID named one (issue 20): its route table and service endpoints decide reach
   * and VNet rules. Without it every subnet of the VNet is judged, leniently.
   */
  readonly subnetId?: string | undefined;
  /** Also ask Azure DNS directly (where the probe runs in Azure): `host[:port]`, normally AZURE_DNS. */
  readonly azureDns?: string | undefined;
  /**
   * Look on the network (DNS, TLS, tokens) only at vaults found in ARM within the scope (the HTTP trigger): a name
   * that is not there ends with its inventory finding, and nothing is resolved, connected to or authenticated.
   */
  readonly networkOnlyInScope?: boolean;
  /**
   * The timer's site scope (PROBE_SITE_SCOPE): with `private`, a vault of the inventory (no `targets`) that this site
   * does not reach privately and that is not named for it ends after the ARM reads that decided it. Absent: every
   * vault asked for is probed (the CLI, the HTTP trigger).
   */
  readonly siteScope?: SiteScope;
}

/**
 * When a run reads the endpoints' DNS zone groups. always: for every endpoint. on-drift: only for vaults whose
 * resolution drifted, for inventories built to read thousands of vaults with a handful of requests (one zone group
 * read per endpoint per run would undo what batching saves).
 */
export type ZoneGroupPolicy = 'always' | 'on-drift';

export interface ProbeDeps {
  readonly inventory: Inventory;
  /** A scheduling choice, made where the inventory is chosen (src/engine.ts); default always. */
  readonly zoneGroupPolicy?: ZoneGroupPolicy;
  readonly observer: Observer;
  /** Data-plane tokens for the authenticated read; without it the read is off. */
  readonly dataplaneTokens?: DataplaneTokens;
  /** The timer's audit-quiet memory of authenticated reads; without it every run reads every address. */
  readonly authReadGate?: AuthReadGate;
  /** Told where the run is (the CLI draws it on a terminal); cosmetic: what it throws is ignored. */
  readonly progress?: (event: ProgressEvent) => void;
  /** Called once at the start of a run with its signal (aborted at the deadline): adapters bound every request by it. */
  readonly bindRun?: (signal: AbortSignal) => void;
}

/** Where a run is: listing what to probe, probing vault n of N, or writing the report. */
export type ProgressEvent =
  | { readonly phase: 'listing' }
  | { readonly phase: 'probing'; readonly done: number; readonly total: number }
  | { readonly phase: 'reporting' };

/** A vault to probe, or a scope the probe could not turn into one. */
export type Discovered =
  | { readonly kind: 'vault'; readonly vault: VaultRecord; readonly configuredAs?: string }
  | {
      readonly kind: 'unreadable';
      readonly scope: 'vault' | 'subscription';
      readonly label: string;
      readonly vaultId: string | null;
      readonly host: string | null;
      readonly findings: readonly Finding[];
    };

/** A vault the site scope left out: no result, only a count in the run's `siteScope`. */
export interface LeftOut {
  readonly leftOut: true;
}

export interface Discovery {
  readonly items: readonly Discovered[];
  readonly skipped: number;
  /** The subscriptions in scope, as resolved (a management group's, when the request named none). */
  readonly subscriptions?: readonly string[];
}
