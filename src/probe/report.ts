import { createHash } from 'node:crypto';
import { endpointAddresses } from './endpoints';
import { sortAddresses } from './ip';
import { diagnose, type Diagnosis } from './diagnoses';
import { FINDINGS, type Finding, type FindingCode } from './findings';
import type { SiteScopeCount } from './site-scope';
import type { DataplaneObservation, ExpectedState, ObservedState, Severity, VaultStatus } from './types';

/** A finding as it appears in the JSON output and the telemetry. */
export interface ReportedFinding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly remediation: string;
  readonly resourceId: string | null;
  /** Commands that change something, in order: together they repair what this finding names (may be empty). */
  readonly fix: readonly string[];
  /** Commands that only read: to see the fault by hand, and that the fix worked. */
  readonly confirm: readonly string[];
  /** The root finding's code when another finding of the vault explains this one (see `diagnoses`); else null. */
  readonly explainedBy: FindingCode | null;
  readonly details: Finding['details'];
}

export interface ExpectedAddress {
  readonly ip: string | null;
  readonly privateEndpointId: string | null;
  readonly connectionStatus: string | null;
  readonly provisioningState: string | null;
}

/** What this site expects of the vault (see expectation.ts), as the JSON result shows it. */
export interface ExpectationView {
  readonly kind: 'private' | 'public' | 'unreachable';
  /** True without PROBE_VNET_ID (or with its VNet unreadable): any approved endpoint is expected. */
  readonly assumed: boolean;
  readonly endpoints: readonly {
    readonly privateEndpointId: string | null;
    readonly ips: readonly string[];
    readonly reach: string;
    /** vwan and avnm: the hub or configuration, and `assumed reachable` where what was read leaves it open. */
    readonly basis?: string;
  }[];
  readonly publicAccess: string;
  /** One compact line: `private pe-a@10.1.2.4`, `public`, `unreachable`; `~` in front when assumed. */
  readonly text: string;
  /** How Virtual WAN and AVNM connectivity was read for this site (and what could not be), where it was needed. */
  readonly basis?: readonly string[];
}

/** Azure DNS asked directly during the run: how often, how often skipped, and whether a timeout stopped it. */
export interface AzureDnsSummary {
  readonly asked: number;
  readonly skipped: number;
  readonly stopped: boolean;
  readonly reason?: string;
}

export interface VaultResult {
  /** The vault name; for a subscription that could not be listed, the subscription ID. */
  readonly vault: string;
  readonly vaultId: string | null;
  readonly scope: 'vault' | 'subscription';
  readonly host: string | null;
  readonly status: VaultStatus;
  readonly publicNetworkAccess: string | null;
  /** The vault's owner key, its `kvprobe-owner` tag lower case (src/probe/owner-tag.ts); absent when untagged. */
  readonly owner?: string;
  /** What this site expects; null when the vault could not be read. */
  readonly expectation?: ExpectationView | null;
  readonly expected: readonly ExpectedAddress[];
  readonly resolved: {
    readonly os: { readonly addresses: readonly string[]; readonly error: string | null };
    readonly dns: {
      readonly servers: readonly string[];
      readonly cnames: readonly string[];
      readonly addresses: readonly string[];
      readonly ttl: number | null;
      readonly error: string | null;
    };
  };
  readonly dataplane: readonly DataplaneObservation[];
  /**
   * A stable hash of the resolved addresses (both resolvers, sorted): a change between runs shows that resolution
   * changed, even when both answers were healthy. Null when nothing resolved.
   */
  readonly addressesHash: string | null;
  readonly findings: readonly ReportedFinding[];
  /**
   * The findings grouped by root cause (src/probe/diagnoses): one per broken thing, with the object to change and
   * its fix; every finding is a diagnosis's root or explained by one.
   */
  readonly diagnoses: readonly Diagnosis[];
  readonly timings: Readonly<Record<string, number>>;
}

export interface RunSummary {
  readonly vaults: number;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly unknown: number;
  readonly skipped: number;
}

export interface RunReport {
  readonly location: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly summary: RunSummary;
  /** The timer's site scope (PROBE_SITE_SCOPE): vaults in the inventory and left out; `summary.vaults` were probed. */
  readonly siteScope?: SiteScopeCount;
  /** Present when Azure DNS was to be asked (PROBE_AZURE_DNS / --azure-dns). */
  readonly azureDns?: AzureDnsSummary;
  /** Where the expected state came from; `fromCache` lists what was served from an earlier run because ARM throttled. */
  readonly inventory?: {
    readonly source: string;
    readonly fromCache: readonly { subscriptionId: string; kind: string; ageMs: number; reason: string }[];
  };
  /**
   * Where the run's time went, by stage (src/probe/pipeline/timing.ts): discoverMs, probeMs (every vault, to the
   * last), reportMs; and the slowest vault's expectedMs, observedMs and compareMs as expectedMaxMs and so on.
   * Each vault's own are in its result's `timings`.
   */
  readonly timings?: Readonly<Record<string, number>>;
  /** What the results say together (src/probe/hints.ts): e.g. that the machine is evidently outside the VNet. */
  readonly hints?: readonly string[];
  readonly results: readonly VaultResult[];
}

/** Every address either resolver returned, de-duplicated, the OS resolver's first. */
export function resolvedAddresses(r: {
  readonly os: { readonly addresses: readonly string[] };
  readonly dns: { readonly addresses: readonly string[] };
}): string[] {
  return [...new Set([...r.os.addresses, ...r.dns.addresses])];
}

/** First 16 hex digits of SHA-256 over the sorted, de-duplicated addresses, one per line. */
export function addressesHash(addresses: Iterable<string>): string | null {
  const sorted = sortAddresses(addresses);
  return sorted.length === 0 ? null : createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16);
}

/** unknown when the expected state is missing; unhealthy on any error finding; else healthy. */
export function vaultStatus(expectedKnown: boolean, findings: readonly { readonly severity: Severity }[]): VaultStatus {
  if (!expectedKnown) return 'unknown';
  return findings.some((f) => f.severity === 'error') ? 'unhealthy' : 'healthy';
}

export function reportFinding(f: Finding, explainedBy: FindingCode | null = null): ReportedFinding {
  return {
    code: f.code,
    severity: f.severity,
    title: FINDINGS[f.code].title,
    message: f.message,
    remediation: f.remediation,
    resourceId: f.resourceId ?? null,
    fix: f.fix ?? [],
    confirm: f.confirm ?? [],
    explainedBy,
    details: f.details,
  };
}

/**
 * One text for a finding's commands where a single field carries them (the telemetry's `command`): the fix, one
 * command a line, in order; else the first read. Null when it has none.
 */
export function commandText(f: Pick<ReportedFinding, 'fix' | 'confirm'>): string | null {
  return f.fix.length > 0 ? f.fix.join('\n') : (f.confirm[0] ?? null);
}

/** A vault's findings as reported, and their diagnoses: computed here, once, after the checks. */
export function reportFindings(findings: readonly Finding[]): Pick<VaultResult, 'findings' | 'diagnoses'> {
  const { diagnoses, explainedBy } = diagnose(findings);
  return { findings: findings.map((f, i) => reportFinding(f, explainedBy[i] ?? null)), diagnoses };
}

/** The expected addresses, one row per IP, plus one row per endpoint without a known IP. */
export function expectedAddresses(expected: ExpectedState | undefined): ExpectedAddress[] {
  if (!expected) return [];
  const rows: ExpectedAddress[] = endpointAddresses(expected).map((a) => ({
    ip: a.ip,
    privateEndpointId: a.privateEndpointId ?? null,
    connectionStatus: a.connectionStatus ?? null,
    provisioningState: a.provisioningState ?? null,
  }));
  for (const ep of expected.endpoints) {
    if (rows.some((r) => r.privateEndpointId === (ep.connection.privateEndpointId ?? null))) continue;
    rows.push({
      ip: null,
      privateEndpointId: ep.connection.privateEndpointId ?? null,
      connectionStatus: ep.connection.status ?? null,
      provisioningState: ep.endpoint?.provisioningState ?? ep.connection.provisioningState ?? null,
    });
  }
  return rows;
}

const describeError = (e: { kind: string; code: string } | undefined): string | null =>
  e ? `${e.kind} (${e.code})` : null;

export function resolvedView(observed: ObservedState | undefined): VaultResult['resolved'] {
  return {
    os: { addresses: observed?.dns.os.addresses ?? [], error: describeError(observed?.dns.os.error) },
    dns: {
      servers: observed?.dns.dns.servers ?? [],
      cnames: observed?.dns.dns.cnames ?? [],
      addresses: observed?.dns.dns.addresses ?? [],
      ttl: observed?.dns.dns.ttl ?? null,
      error: describeError(observed?.dns.dns.error),
    },
  };
}

export function summarize(results: readonly VaultResult[], skipped: number): RunSummary {
  const count = (s: VaultStatus): number => results.filter((r) => r.status === s).length;
  return {
    vaults: results.length,
    healthy: count('healthy'),
    unhealthy: count('unhealthy'),
    unknown: count('unknown'),
    skipped,
  };
}
