import { createHash } from 'node:crypto';
import { objectOf, type Diagnosis } from '../probe/diagnoses';
import type { RunReport, VaultResult } from '../probe/report';
import { CAUSE_ROUTES } from './alert-rules';
import { upstreamCause } from './causes';

/**
 * What one vault is at one site, as the telemetry says it: the facts a consumer rebuilds per vault × site (the
 * workbook, the alerts). Everything else (messages, commands) goes out with the finding events.
 */
export interface VaultState {
  readonly vault: string;
  readonly status: VaultResult['status'];
  /** The most upstream cause among the error diagnoses (for an unknown vault, among all), '' when there is none. */
  readonly cause: string;
  /** The diagnoses' codes (their root findings'), errors first, comma-separated. */
  readonly codes: string;
  /**
   * The objects that break the vault, `CODE=object` for each of its error diagnoses (each diagnosis of an unknown
   * vault), comma-separated: object = the root object's resource ID, '' when it is the vault itself, or the object in
   * words when it is no ARM resource. What the cause alerts group by; '' when the vault has none.
   */
  readonly objects: string;
  /** First 8 hex digits of the resolved addresses' hash, '' when nothing resolved. */
  readonly addrHash: string;
  /** private, public or unreachable, `~` in front when assumed; '' when the vault could not be read. */
  readonly expectation: string;
  /** The vault's owner key (its `kvprobe-owner` tag, lower case), '' when untagged: what a vault owner's rule selects. */
  readonly owner: string;
}

/** Why a vault's state record is sent in this run; `gone`: the vault is no longer in the site's report. */
export type StateChange = 'new' | 'changed' | 'snapshot' | 'resend' | 'gone';

export interface StateToSend {
  /** The vault's result; none for a vault that is gone (its record repeats the last state sent). */
  readonly result?: VaultResult;
  /** The key the tracker holds it by: the vault's ID, else its name, lower case. */
  readonly key: string;
  readonly state: VaultState;
  readonly change: StateChange;
  /** Consecutive runs (this one included) in which the vault's state had the same alert route (see `routeOf`). */
  readonly runs: number;
}

/** What a run sends about vault states. */
export interface StateSelection {
  /** True in a snapshot run: every vault's state goes out (packed), the non-healthy ones also as records. */
  readonly snapshot: boolean;
  /** Every vault's state this run, with its consecutive runs in the same alert route. */
  readonly states: readonly { readonly state: VaultState; readonly runs: number }[];
  readonly send: readonly StateToSend[];
  /** First 16 hex digits of SHA-256 over every vault's state at this site (sorted by vault). */
  readonly stateHash: string;
  /** Whether any vault appeared, changed or left since the previous run. */
  readonly changed: boolean;
}

// Keyed by the vault's ID: two results may share a name (a vault and a subscription that could not be listed).
const keyOf = (r: Pick<VaultResult, 'vault' | 'vaultId'>): string => (r.vaultId ?? r.vault).toLowerCase();

/**
 * The object a diagnosis changes, as the alerts group by it: its resource ID; '' for the vault itself; the object in
 * words (without the separators `,` `;` `|` `=`) when it is no ARM resource, such as the probe's token or a proxy.
 */
export function objectKey(
  r: Pick<VaultResult, 'vaultId'>,
  d: Pick<Diagnosis, 'code' | 'resourceId' | 'object'>,
): string {
  if (objectOf(d.code, null) !== 'no ARM resource') return d.object.replace(/[,;|=]/g, ' ');
  if (!d.resourceId || d.resourceId.toLowerCase() === (r.vaultId ?? '').toLowerCase()) return '';
  return d.resourceId;
}

/** The state of one vault result, read from the diagnoses computed once on it. */
export function stateOf(r: VaultResult): VaultState {
  const errorsFirst = [...r.diagnoses].sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'));
  const errors = r.diagnoses.filter((d) => d.severity === 'error');
  // An unknown vault without an error diagnosis (an endpoint that could not be read, say) still has a cause and
  // objects, so the vault-unknown rule sees it: those of all its diagnoses, else inventory and the vault itself.
  const counted = errors.length > 0 || r.status !== 'unknown' ? errors : r.diagnoses;
  const cause = upstreamCause(counted.map((d) => d.code)) ?? (r.status === 'unknown' ? 'inventory' : '');
  const objects = counted.map((d) => `${d.code}=${objectKey(r, d)}`);
  return {
    vault: r.vault,
    status: r.status,
    cause,
    codes: [...new Set(errorsFirst.map((d) => d.code))].join(','),
    objects: [...new Set(objects)].join(','),
    addrHash: (r.addressesHash ?? '').slice(0, 8),
    expectation: r.expectation ? `${r.expectation.assumed ? '~' : ''}${r.expectation.kind}` : '',
    owner: r.owner ?? '',
  };
}

/** The alert route of a state: the rule its cause reaches, or its status when it has no cause. */
export function routeOf(s: Pick<VaultState, 'status' | 'cause'>): string {
  return s.cause ? CAUSE_ROUTES[s.cause as keyof typeof CAUSE_ROUTES] : s.status;
}

const same = (a: VaultState, b: VaultState): boolean =>
  a.status === b.status &&
  a.cause === b.cause &&
  a.codes === b.codes &&
  a.objects === b.objects &&
  a.addrHash === b.addrHash &&
  a.expectation === b.expectation &&
  a.owner === b.owner;

/** The hash of a site's full state, as the run record carries it and the rebuild can check it. */
export function stateHash(states: readonly VaultState[]): string {
  const lines = [...states]
    .sort((a, b) => (a.vault < b.vault ? -1 : a.vault > b.vault ? 1 : 0))
    .map((s) => [s.vault, s.status, s.cause, s.codes, s.addrHash, s.expectation, s.objects, s.owner].join('|'));
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

/** Every vault as new, in a snapshot: what a process with no earlier state sends (the CLI, the HTTP trigger). */
export function allStates(report: RunReport): StateSelection {
  const states = report.results.map((r) => ({ state: stateOf(r), runs: 1 }));
  return {
    snapshot: true,
    states,
    send: report.results.flatMap((result, i) => {
      const { state } = states[i] as { state: VaultState };
      return state.status === 'healthy' ? [] : [{ result, key: keyOf(result), state, change: 'new' as const, runs: 1 }];
    }),
    stateHash: stateHash(states.map((x) => x.state)),
    changed: true,
  };
}

/**
 * Decides which vault states a site sends: a vault's state when it appears or changes, every vault in a snapshot
 * (the first run of the process, then every `snapshotRuns` runs), and nothing else; the run record says the rest is
 * unchanged. What was sent is held in the process and advanced only by `confirm(true)`: after a run whose telemetry
 * was not confirmed, the next run is compared with what was last confirmed, so it sends again every change the lost
 * run carried (as `resend`), and is a snapshot if the lost one was. A vault missing from the report is sent as `gone`.
 */
export class StateTracker {
  private runsSinceSnapshot: number | undefined;
  /** The states consumers have, as far as this process knows. */
  private confirmed = new Map<string, VaultState>();
  /** Each vault's route and consecutive runs in it, advanced every run whatever was delivered. */
  private readonly seen = new Map<string, { readonly route: string; readonly runs: number }>();
  private pending:
    | { readonly states: Map<string, VaultState>; readonly sent: Map<string, VaultState>; readonly snapshot: boolean }
    | undefined;
  /** What the last unconfirmed run sent as records, by vault: sent again as `resend`. */
  private lost = new Map<string, VaultState>();

  constructor(readonly snapshotRuns: number) {
    if (!Number.isInteger(snapshotRuns) || snapshotRuns < 1)
      throw new RangeError(`snapshotRuns must be a whole number >= 1, got ${snapshotRuns}`);
  }

  /** What this run sends. Call `confirm` once its telemetry was flushed, or not. */
  next(report: RunReport): StateSelection {
    const snapshot = this.runsSinceSnapshot === undefined || this.runsSinceSnapshot + 1 >= this.snapshotRuns;
    const now = new Map<string, VaultState>();
    const send: StateToSend[] = [];
    const states: { state: VaultState; runs: number }[] = [];
    let changed = false;
    for (const result of report.results) {
      const state = stateOf(result);
      const key = keyOf(result);
      now.set(key, state);
      const route = routeOf(state);
      const earlier = this.seen.get(key);
      const runs = earlier?.route === route ? earlier.runs + 1 : 1;
      this.seen.set(key, { route, runs });
      states.push({ state, runs });
      const before = this.confirmed.get(key);
      const lostCopy = this.lost.get(key);
      const change: StateChange | undefined =
        before === undefined ? 'new' : same(before, state) ? undefined : 'changed';
      if (change !== undefined) changed = true;
      // What the lost run sent may still arrive (the SDK retries from disk): a vault it carried is sent again even when
      // it is back to what was confirmed, so the latest record is right either way.
      const why: StateChange | undefined =
        lostCopy !== undefined && (change === undefined || same(lostCopy, state)) ? 'resend' : change;
      // A snapshot packs every state; the vaults that are not healthy also go out as records, with their run count,
      // so the Availability blade and the alerts see them in every snapshot. A new healthy vault in a snapshot is in
      // the pack only.
      if (why !== undefined && !(snapshot && why === 'new' && state.status === 'healthy'))
        send.push({ result, key, state, change: why, runs });
      else if (snapshot && state.status !== 'healthy') send.push({ result, key, state, change: 'snapshot', runs });
    }
    // A vault that left the report is gone in the same run (and from the next snapshot, which no longer lists it).
    for (const [key, state] of this.confirmed) {
      if (now.has(key)) continue;
      changed = true;
      this.seen.delete(key);
      send.push({ key, state, change: 'gone', runs: 0 });
    }
    const sent = new Map(send.map((x) => [x.key, x.state]));
    this.pending = { states: now, sent, snapshot };
    return { snapshot, states, send, stateHash: stateHash(states.map((x) => x.state)), changed };
  }

  /** Advances what was sent when the run's telemetry was confirmed; else the next run sends it again. */
  confirm(delivered: boolean): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    if (!delivered) {
      this.lost = new Map([...this.lost, ...p.sent]);
      // A lost snapshot is sent again in full.
      this.runsSinceSnapshot = p.snapshot ? undefined : (this.runsSinceSnapshot ?? 0) + 1;
      return;
    }
    this.lost = new Map();
    this.confirmed = p.states;
    this.runsSinceSnapshot = p.snapshot ? 0 : (this.runsSinceSnapshot ?? 0) + 1;
  }
}
