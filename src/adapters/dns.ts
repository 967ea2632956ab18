import { promises as dns } from 'node:dns';
import { since } from '../probe/concurrency';
import type { CustomDnsAnswer, DnsError, DnsErrorKind, DnsResolution, OsResolution } from '../probe/types';

const KINDS: Readonly<Record<string, DnsErrorKind>> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NODATA',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  ETIMEOUT: 'TIMEOUT',
  ETIMEDOUT: 'TIMEOUT',
  ECANCELLED: 'TIMEOUT',
  EAI_AGAIN: 'SERVFAIL',
  EAI_NONAME: 'NXDOMAIN',
};

/** Maps a resolver error to the engine's terms. */
export function dnsError(error: unknown): DnsError {
  const code = (error as { code?: unknown })?.code;
  const c = typeof code === 'string' ? code : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  return { kind: KINDS[c] ?? 'OTHER', code: c, message };
}

function timeoutError(ms: number): DnsError {
  return { kind: 'TIMEOUT', code: 'ETIMEOUT', message: `no answer within ${ms} ms` };
}

/** Races `work` against the signal, because getaddrinfo cannot be cancelled. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * getaddrinfo cannot be cancelled and holds a libuv thread-pool thread until the OS resolver answers, which a hung
 * resolver may never do. The probe's own lookups may hold at most half of the pool (UV_THREADPOOL_SIZE, 4 unless
 * set; bin/kvprobe sets 16), counted until each lookup really returns, not until the step gave up on it: the other
 * half stays free for TLS, files and the SDKs' own lookups. A lookup that finds no free slot waits until its step
 * ends, and then reports a timeout; when every slot is held by a lookup whose step already gave up, it is refused at
 * once (`ESTUCK`), so a hung resolver never makes a later lookup, or a later timer run, wait behind it.
 */
export function osLookupSlots(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const pool = Number(env['UV_THREADPOOL_SIZE']);
  return Math.max(1, Math.floor((Number.isInteger(pool) && pool > 0 ? Math.min(pool, 1024) : 4) / 2));
}

/** What a call in a slot came to: its value, the caller's abort, or a refusal because every slot is stuck. */
export type SlotOutcome<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'stuck'; readonly abandoned: number; readonly oldestMs: number };

interface Held {
  readonly started: number;
  settled: boolean;
  abandoned: boolean;
}

/**
 * Slots for calls that cannot be cancelled (getaddrinfo). A call holds its slot until it really returns, even after
 * its caller gave up on it (it is then "abandoned"). A caller that finds no free slot waits, unless every slot is
 * held by an abandoned call: those may never return (a hung resolver holds them for minutes), so it is refused at
 * once rather than queued behind them, within a run and in every later run of the same process.
 */
export class UncancellableSlots {
  private inFlight = 0;
  private readonly abandoned = new Set<Held>();
  private readonly waiting = new Set<(granted: boolean) => void>();

  constructor(private readonly limit: () => number) {}

  /** Calls holding a slot, abandoned ones included. */
  get held(): number {
    return this.inFlight;
  }

  /** Calls whose caller gave up and that have not returned yet. */
  get stuck(): number {
    return this.abandoned.size;
  }

  async run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<SlotOutcome<T>> {
    if (!(await this.acquire(signal))) return signal.aborted ? { kind: 'aborted' } : this.refusal();
    const held: Held = { started: performance.now(), settled: false, abandoned: false };
    const call = work();
    const settle = (): void => {
      held.settled = true;
      this.inFlight--;
      this.abandoned.delete(held);
      const next = this.waiting.values().next();
      if (!next.done) {
        this.waiting.delete(next.value);
        next.value(true);
      }
    };
    call.then(settle, settle);
    const result = await untilAborted(call, signal);
    if (result !== 'aborted') return { kind: 'done', value: result };
    if (!held.settled) {
      held.abandoned = true;
      this.abandoned.add(held);
      if (this.allStuck()) for (const refuse of this.takeWaiting()) refuse(false);
    }
    return { kind: 'aborted' };
  }

  private allStuck(): boolean {
    return this.inFlight >= this.limit() && this.abandoned.size >= this.limit();
  }

  private refusal(): SlotOutcome<never> {
    let oldest = performance.now();
    for (const h of this.abandoned) oldest = Math.min(oldest, h.started);
    return { kind: 'stuck', abandoned: this.abandoned.size, oldestMs: Math.round(performance.now() - oldest) };
  }

  private takeWaiting(): ((granted: boolean) => void)[] {
    const all = [...this.waiting];
    this.waiting.clear();
    return all;
  }

  /** true: a slot is this caller's; false: aborted, or refused because every slot is stuck. */
  private acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.inFlight < this.limit()) {
      this.inFlight++;
      return Promise.resolve(true);
    }
    if (this.allStuck()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiting.delete(answer);
        resolve(false);
      };
      const answer = (granted: boolean): void => {
        signal.removeEventListener('abort', onAbort);
        if (granted) this.inFlight++;
        resolve(granted);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(answer);
    });
  }
}

const osSlots = new UncancellableSlots(() => osLookupSlots());

/** getaddrinfo calls of the probe still holding a thread-pool thread (for tests and the fault suite). */
export function osLookupsInFlight(): number {
  return osSlots.held;
}

/**
 * getaddrinfo, all addresses: what clients get, hosts file and nsswitch included. `slots`: the thread-pool slots the
 * lookup waits for, this process's (from UV_THREADPOOL_SIZE) unless a test gives its own.
 */
export async function resolveWithOs(
  host: string,
  signal: AbortSignal,
  timeoutMs: number,
  slots: UncancellableSlots = osSlots,
): Promise<OsResolution> {
  const t = performance.now();
  try {
    const outcome = await slots.run(signal, () => dns.lookup(host, { all: true, family: 0 }));
    if (outcome.kind === 'aborted') return { addresses: [], error: timeoutError(timeoutMs), durationMs: since(t) };
    if (outcome.kind === 'stuck') {
      const error: DnsError = {
        kind: 'TIMEOUT',
        code: 'ESTUCK',
        message: `the OS resolver has not answered ${outcome.abandoned} earlier lookups (the oldest for ${outcome.oldestMs} ms); this one was not queued behind them`,
      };
      return { addresses: [], error, durationMs: since(t) };
    }
    return { addresses: [...new Set(outcome.value.map((r) => r.address))], durationMs: since(t) };
  } catch (error) {
    return { addresses: [], error: dnsError(error), durationMs: since(t) };
  }
}

const MAX_CNAME_HOPS = 8;

/**
 * One c-ares channel per observer: creating one per query costs more than the query. Its own timeout (half the
 * step timeout, two tries) bounds each query; a step's abort is raced rather than passed to `cancel()`, which
 * would cancel every other vault's queries on the shared channel too.
 */
export function createResolver(servers: readonly string[], timeoutMs: number): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: Math.max(50, Math.floor(timeoutMs / 2)), tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/** A records of `host` from one server, asked directly. */
export async function resolveVia(
  host: string,
  server: string,
  resolver: dns.Resolver,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<CustomDnsAnswer> {
  try {
    const records = await untilAborted(resolver.resolve4(host), signal);
    if (records === 'aborted') return { server, addresses: [], error: timeoutError(timeoutMs) };
    return { server, addresses: [...new Set(records)] };
  } catch (error) {
    return { server, addresses: [], error: dnsError(error) };
  }
}

/**
 * Explicit DNS queries: the CNAME chain hop by hop, then the A records with their TTL. With no servers given,
 * the system's configured servers are asked, bypassing the hosts file.
 */
export async function resolveWithDns(
  host: string,
  resolver: dns.Resolver,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<DnsResolution> {
  const t = performance.now();
  const used = resolver.getServers();
  const cnames: string[] = [];
  const failed = (error: unknown): DnsResolution => ({
    servers: used,
    cnames,
    addresses: [],
    error: error === 'aborted' ? timeoutError(timeoutMs) : dnsError(error),
    durationMs: since(t),
  });
  try {
    let name = host;
    for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
      let next: string[] | 'aborted';
      try {
        next = await untilAborted(resolver.resolveCname(name), signal);
      } catch (error) {
        const e = dnsError(error);
        if (e.kind === 'NODATA' || e.kind === 'NXDOMAIN') break;
        return failed(error);
      }
      if (next === 'aborted') return failed('aborted');
      const target = next[0]?.toLowerCase().replace(/\.$/, '');
      if (!target || cnames.includes(target)) break;
      cnames.push(target);
      name = target;
    }
    const records = await untilAborted(resolver.resolve4(host, { ttl: true }), signal);
    if (records === 'aborted') return failed('aborted');
    const ttl = records.length > 0 ? Math.min(...records.map((r) => r.ttl)) : undefined;
    return {
      servers: used,
      cnames,
      addresses: [...new Set(records.map((r) => r.address))],
      ...(ttl !== undefined ? { ttl } : {}),
      durationMs: since(t),
    };
  } catch (error) {
    return failed(error);
  }
}
