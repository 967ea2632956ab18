import { isIP } from 'node:net';
import { withTimeout, since } from '../concurrency';
import type { AuthReadDecision } from '../auth-read-gate';
import type { AuthenticatedRead, DataplaneTokens } from '../dataplane-auth';
import type { Observer } from '../observer';
import { resolvedAddresses } from '../report';
import { cleanDeep, redactUrlCredentials } from '../sanitize';
import type {
  CustomDnsAnswer,
  DataplaneAuthState,
  DataplaneObservation,
  DnsResolution,
  ObservedState,
  OsResolution,
} from '../types';
import { isAbort } from './read-errors';

/** The authenticated read of stage 3: where tokens come from, for which audience, and what to read. */
export interface AuthPlan {
  readonly tokens: DataplaneTokens;
  readonly audience: string;
  readonly path: string;
}

/** Gets the token for the authenticated read; a failure is kept as data and the read is skipped. */
async function authFor(
  plan: AuthPlan | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ state: DataplaneAuthState; token?: string }> {
  if (!plan) return { state: { mode: 'off' } };
  try {
    // A credential chain may not honour the signal (a CLI login spawns a process): race it, do not wait for it.
    const token = await withTimeout(signal, timeoutMs, (s) =>
      Promise.race([
        plan.tokens.get(plan.audience, s),
        new Promise<never>((_, reject) => {
          if (s.aborted) reject(s.reason as unknown);
          s.addEventListener('abort', () => reject(s.reason as unknown), { once: true });
        }),
      ]),
    );
    return { state: { mode: 'token', audience: plan.audience }, token };
  } catch (error) {
    const message = isAbort(error)
      ? `no token within the step timeout (${timeoutMs} ms)`
      : error instanceof Error
        ? error.message
        : String(error);
    return {
      state: { mode: 'unavailable', audience: plan.audience, error: message.replace(/\s+/g, ' ').trim().slice(0, 500) },
    };
  }
}

/** At most this many addresses of one name are probed on the data plane; whoever controls DNS controls the rest. */
export const MAX_DATAPLANE_ADDRESSES = 8;

/**
 * At most this many distinct addresses of one name are judged (findings, owner lookups, the report, telemetry): a
 * name answers one address per endpoint in reach, and a DNS answer of 1,000 must not make 1,000 of anything.
 */
export const MAX_JUDGED_ADDRESSES = 16;

/** How many of the addresses left out the observation names. */
const LEFT_OUT_SAMPLE = 8;

/** Both resolutions cut to the first MAX_JUDGED_ADDRESSES distinct addresses (the OS resolver's first). */
export function capResolutions<O extends { addresses: readonly string[] }, D extends { addresses: readonly string[] }>(
  os: O,
  dns: D,
): { os: O; dns: D; leftOut?: { total: number; judged: number; sample: string[] } } {
  const all = resolvedAddresses({ os, dns });
  if (all.length <= MAX_JUDGED_ADDRESSES) return { os, dns };
  const kept = new Set(all.slice(0, MAX_JUDGED_ADDRESSES));
  const cut = <T extends { addresses: readonly string[] }>(r: T): T => ({
    ...r,
    addresses: r.addresses.filter((a) => kept.has(a)),
  });
  return {
    os: cut(os),
    dns: cut(dns),
    leftOut: {
      total: all.length,
      judged: kept.size,
      sample: all.slice(MAX_JUDGED_ADDRESSES, MAX_JUDGED_ADDRESSES + LEFT_OUT_SAMPLE),
    },
  };
}

function stepTimeoutMessage(error: unknown, timeoutMs: number): string {
  return error instanceof Error && error.name === 'TimeoutError'
    ? `no answer within ${timeoutMs} ms`
    : error instanceof Error
      ? error.message
      : String(error);
}

/** A resolver step that threw: a timeout or abort when it was one, else the error as it was (an adapter defect). */
function thrownDnsError(
  error: unknown,
  timeoutMs: number,
): { kind: 'TIMEOUT' | 'OTHER'; code: string; message: string } {
  const abort = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return {
    kind: abort ? 'TIMEOUT' : 'OTHER',
    code: abort ? 'ETIMEOUT' : 'EPROBE',
    message: stepTimeoutMessage(error, timeoutMs),
  };
}

/**
 * Runs a step that reports its own failures as data, turning a throw (an abandoned step, a bug in an adapter) into
 * the same kind of data, and retries once when the first attempt timed out and the run still has time: one slow
 * answer on a busy machine is not a failure.
 */
async function stepWithRetry<T>(
  signal: AbortSignal,
  timeoutMs: number,
  step: (s: AbortSignal) => Promise<T>,
  failed: (error: unknown) => T,
  timedOut: (result: T) => boolean,
): Promise<T> {
  const attempt = async (): Promise<T> => {
    try {
      return await withTimeout(signal, timeoutMs, step);
    } catch (error) {
      return failed(error);
    }
  };
  const first = await attempt();
  return timedOut(first) && !signal.aborted ? attempt() : first;
}

/** Key Vault's answer (a 403 message, a header) is server text: cleaned before it reaches the report. */
const cleanObservation = (o: DataplaneObservation): DataplaneObservation => cleanDeep(o);

// getaddrinfo reports a DNS server that did not answer in time as EAI_AGAIN ("temporary failure"): a timeout too.
const dnsTimeout = (e: { error?: { kind: string; code: string } | undefined }): boolean =>
  e.error?.kind === 'TIMEOUT' || e.error?.code === 'EAI_AGAIN';

/** `ip`, `ip:port` or `[ipv6]:port`: what a VNet's DNS server list may hold. Anything else is not asked. */
export function dnsServerAddress(value: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  if (bracketed) return isIP(bracketed[1] ?? '') === 6 && (bracketed[2] === undefined || Number(bracketed[2]) <= 65535);
  if (isIP(value) !== 0) return true;
  const m = /^([^:]+):(\d{1,5})$/.exec(value);
  return !!m && isIP(m[1] ?? '') === 4 && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}

/** Stage 3: what the network shows from here: both resolvers, then the data plane on every address (up to a cap). */
export async function observe(
  host: string,
  observer: Observer,
  opts: {
    dataplane: boolean;
    timeoutMs: number;
    customDnsServers?: readonly string[];
    azureDns?: string | undefined;
    auth?: AuthPlan | undefined;
    /** Made once the addresses are known: on which of them the authenticated read is sent this run. */
    authDecision?: ((addresses: readonly string[]) => AuthReadDecision) | undefined;
  },
  signal: AbortSignal,
): Promise<ObservedState> {
  const { timeoutMs } = opts;
  const started = performance.now();
  const [rawOs, rawDns, auth] = await Promise.all([
    stepWithRetry<OsResolution>(
      signal,
      timeoutMs,
      (s) => observer.resolveOs(host, s),
      (e) => ({ addresses: [], error: thrownDnsError(e, timeoutMs), durationMs: since(started) }),
      dnsTimeout,
    ),
    stepWithRetry<DnsResolution>(
      signal,
      timeoutMs,
      (s) => observer.resolveDns(host, s),
      (e) => ({
        servers: [],
        cnames: [],
        addresses: [],
        error: thrownDnsError(e, timeoutMs),
        durationMs: since(started),
      }),
      dnsTimeout,
    ),
    authFor(opts.dataplane ? opts.auth : undefined, timeoutMs, signal),
  ]);
  const { os, dns, leftOut } = capResolutions(rawOs, rawDns);
  const read = auth.token !== undefined && opts.auth ? { token: auth.token, path: opts.auth.path } : undefined;
  // Clients connect to what getaddrinfo returns; DNS-only addresses are probed too, so a split answer shows both.
  const addresses = resolvedAddresses({ os, dns });
  const decision = read && opts.authDecision ? opts.authDecision(addresses) : undefined;
  const readAt = (place: string): AuthenticatedRead | undefined =>
    read && decision ? { ...read, when: (networkInfo) => decision.send(place, networkInfo) } : read;
  // Each address is two requests (/healthstatus, then the authenticated read), each within the step timeout.
  const perAddress = read ? timeoutMs * 2 : timeoutMs;
  const probed = addresses.slice(0, MAX_DATAPLANE_ADDRESSES);
  const probeFailed =
    (address: string, via?: string) =>
    (e: unknown): DataplaneObservation => ({
      address,
      ...(via ? { via } : {}),
      tcpConnectionForbidden: false,
      failure: { phase: 'timeout', code: 'ETIMEDOUT', message: stepTimeoutMessage(e, timeoutMs) },
      timings: { totalMs: since(started) },
    });
  const dpTimeout = (o: DataplaneObservation): boolean =>
    o.failure?.phase === 'timeout' || o.failure?.code === 'ETIMEDOUT';
  const dataplane: DataplaneObservation[] = opts.dataplane
    ? (
        await Promise.all(
          probed.map((a) =>
            stepWithRetry(
              signal,
              perAddress,
              (s) => observer.probeDataplane(host, a, s, readAt(a)),
              probeFailed(a),
              dpTimeout,
            ),
          ),
        )
      ).map(cleanObservation)
    : [];
  const proxy = observer.proxyFor(host);
  const viaProxy = observer.probeDataplaneViaProxy?.bind(observer);
  if (opts.dataplane && proxy && viaProxy) {
    const shown = redactUrlCredentials(proxy.value);
    const o = await stepWithRetry(
      signal,
      perAddress,
      (s) => viaProxy(host, proxy.value, s, readAt(`via ${shown}`)),
      probeFailed(host, shown),
      dpTimeout,
    );
    dataplane.push(cleanObservation(o.via ? { ...o, via: redactUrlCredentials(o.via) } : o));
  }
  const via = observer.resolveVia?.bind(observer);
  const asked: { server: string; kind: 'custom' | 'azure' }[] = [
    ...(opts.customDnsServers ?? []).map((server) => ({ server, kind: 'custom' as const })),
    ...(opts.azureDns ? [{ server: opts.azureDns, kind: 'azure' as const }] : []),
  ];
  const customDns =
    via && asked.length > 0
      ? await Promise.all(
          asked.map(async ({ server, kind }): Promise<CustomDnsAnswer & { kind: 'custom' | 'azure' }> => {
            // The VNet's DNS servers come from ARM: one that is not an address is reported, never asked.
            if (!dnsServerAddress(server))
              return {
                server,
                addresses: [],
                error: { kind: 'OTHER', code: 'EBADSERVER', message: 'not an IP address' },
                kind,
              };
            const answer = await stepWithRetry<CustomDnsAnswer>(
              signal,
              timeoutMs,
              (s) => via(host, server, s),
              (e) => ({ server, addresses: [], error: thrownDnsError(e, timeoutMs) }),
              dnsTimeout,
            );
            return { ...answer, kind };
          }),
        )
      : undefined;
  return {
    host,
    dns: { os, dns },
    dataplane,
    dataplaneSkipped: !opts.dataplane,
    ...(opts.dataplane ? { dataplaneAuth: auth.state } : {}),
    ...(addresses.length > probed.length ? { dataplaneNotProbed: addresses.slice(probed.length) } : {}),
    ...(leftOut ? { addressesLeftOut: leftOut } : {}),
    proxy: proxy ? { ...proxy, value: redactUrlCredentials(proxy.value) } : undefined,
    ...(customDns ? { customDns } : {}),
  };
}
