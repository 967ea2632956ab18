import type { DataplaneObservation, ObservedState } from './types';

/**
 * Keeps the authenticated read out of the vaults' audit logs between changes. Every read the probe sends is one
 * denied `SecretList` (or `KeyList`) entry in the vault's audit log; at 300 sites, 1,500 vaults and a run every five
 * minutes that would be 450,000 entries per interval, and anomaly detection on access denials would notice. The
 * read answers one question, whether the network path is accepted, and its answer only changes when something the
 * probe sees changes. So a site reads each vault at most once per period (PROBE_DATAPLANE_AUTH_PERIOD), and at
 * once when the vault's resolved addresses, an address's network-info header or the site's expectation changed.
 * Between reads, the last answer on each address stands in, marked with when it was read (`readAt`).
 *
 * One gate per site process (the timer's); its memory goes with the process, so a restarted site reads again.
 */
export interface AuthReadDecision {
  /** Whether to send the read on this address (or proxy), given the network header its /healthstatus returned. */
  send(address: string, networkInfo: string | undefined): boolean;
}

type Answer = NonNullable<DataplaneObservation['authenticated']>;

interface Memo {
  readonly at: number;
  readonly addresses: string;
  readonly expectation: string;
  readonly answers: ReadonlyMap<string, { readonly networkInfo: string | undefined; readonly answer: Answer }>;
}

/** Where an observation was made: its address, or the proxy it went through. */
const placeOf = (o: DataplaneObservation): string => (o.via !== undefined ? `via ${o.via}` : o.address);

export class AuthReadGate {
  private readonly memos = new Map<string, Memo>();
  private readonly pending = new Map<string, { due: boolean; addresses: string; at: number }>();

  /** `periodMs` 0 reads every run. */
  constructor(
    private readonly periodMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The decision for one vault (`key`) in this run, made once its addresses are resolved. `expectation` is the
   * site's expectation of the vault, as text: when it changes, the read is due.
   */
  decide(key: string, expectation: string, addresses: readonly string[]): AuthReadDecision {
    const memo = this.memos.get(key);
    const at = this.now();
    const joined = [...addresses].sort().join(',');
    const due =
      memo === undefined ||
      at - memo.at >= this.periodMs ||
      memo.addresses !== joined ||
      memo.expectation !== expectation;
    this.pending.set(key, { due, addresses: joined, at });
    return {
      send: (address, networkInfo) => {
        if (due) return true;
        const last = memo?.answers.get(address);
        return last === undefined || last.networkInfo !== networkInfo;
      },
    };
  }

  /**
   * Records what this run read for the vault and puts the last answer in place where the read was not sent (same
   * addresses, same header, same expectation, period not over). Observations without /healthstatus stay as they are.
   */
  settle(key: string, expectation: string, observed: ObservedState): ObservedState {
    const run = this.pending.get(key);
    this.pending.delete(key);
    if (run === undefined) return observed;
    const memo = this.memos.get(key);
    const answers = new Map(run.due ? [] : (memo?.answers ?? []));
    const dataplane = observed.dataplane.map((o): DataplaneObservation => {
      const place = placeOf(o);
      if (o.authenticated !== undefined) {
        answers.set(place, {
          networkInfo: o.networkInfo,
          answer: { ...o.authenticated, readAt: new Date(run.at).toISOString() },
        });
        return o;
      }
      const last = memo?.answers.get(place);
      if (run.due || o.failure !== undefined || last === undefined || last.networkInfo !== o.networkInfo) return o;
      return { ...o, authenticated: last.answer };
    });
    this.memos.set(key, {
      at: run.due || memo === undefined ? run.at : memo.at,
      addresses: run.addresses,
      expectation,
      answers,
    });
    return { ...observed, dataplane };
  }
}
