import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { since } from '../probe/concurrency';
import { connectTarget, type ConnectToRule } from '../probe/connect-to';
import type { AuthenticatedRead } from '../probe/dataplane-auth';
import type { DataplaneAnswer, DataplaneObservation } from '../probe/types';

/** Bytes of a data-plane body kept for parsing; a body past `MAX_BODY_READ` is cut off and the connection closed. */
const MAX_BODY = 64 * 1024;
const MAX_BODY_READ = 1024 * 1024;
const TCP_FORBIDDEN = /this tcp connection does not allow access/i;
const USER_AGENT = 'kv-privatelink-probe';

export type Failure = NonNullable<DataplaneAnswer['failure']>;
type TlsView = NonNullable<DataplaneObservation['tls']>;
export type Timings = { connectMs?: number; tlsMs?: number; firstByteMs?: number };

/** Pulls `error.code`, `error.innererror.code` and `error.message` out of a Key Vault error body. */
export function parseKeyVaultError(body: string): { code?: string; innerCode?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as {
      error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } };
    };
    const err = parsed.error;
    return {
      ...(typeof err?.code === 'string' ? { code: err.code } : {}),
      ...(typeof err?.innererror?.code === 'string' ? { innerCode: err.innererror.code } : {}),
      ...(typeof err?.message === 'string' ? { message: err.message } : {}),
    };
  } catch {
    return body.trim() ? { message: body.trim().slice(0, 300) } : {};
  }
}

export function errorFields(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : 'UNKNOWN',
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}

/** `CN=kv.vault.azure.net, O=Microsoft Corporation`: the parts of a certificate name people recognise. */
function describeName(name: PeerCertificate['subject'] | undefined): string | undefined {
  if (!name) return undefined;
  const parts = (['CN', 'O', 'OU'] as const).flatMap((k) => {
    const v = (name as unknown as Record<string, string | string[] | undefined>)[k];
    return v === undefined ? [] : [`${k}=${Array.isArray(v) ? v.join('+') : v}`];
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** An opened (not yet secured) TLS socket, or why none could be opened (a proxy that refused CONNECT). */
export type Dial = (timings: Timings, t0: number) => Promise<TLSSocket | Failure>;

/**
 * Completes the TLS handshake and verifies the certificate against the trusted CAs and the vault's name before
 * anything is written: a connection that fails verification carries no request, so never a token.
 */
function secure(
  dial: Dial,
  signal: AbortSignal,
  timings: Timings,
  t0: number,
): Promise<{ socket: TLSSocket } | { failure: Failure; tls?: TlsView }> {
  return new Promise((resolve) => {
    let settled = false;
    let socket: TLSSocket | undefined;
    const done = (r: { socket: TLSSocket } | { failure: Failure; tls?: TlsView }): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (!('socket' in r)) socket?.destroy();
      resolve(r);
    };
    const onAbort = (): void =>
      done({
        failure: {
          phase: 'timeout',
          code: 'ETIMEDOUT',
          message: `no answer within the step timeout (${timings.connectMs === undefined ? 'during connect' : 'during TLS'})`,
        },
      });
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    dial(timings, t0).then(
      (s) => {
        if (!('encrypted' in s)) {
          done({ failure: s });
          return;
        }
        socket = s;
        if (settled) {
          s.destroy();
          return;
        }
        s.once('connect', () => {
          timings.connectMs ??= since(t0);
        });
        s.once('secureConnect', () => {
          timings.connectMs ??= since(t0);
          timings.tlsMs = since(t0);
          if (s.authorized) {
            done({ socket: s });
            return;
          }
          const cert = s.getPeerCertificate();
          const error = String(s.authorizationError ?? 'UNVERIFIED');
          const subject = describeName(cert?.subject);
          const issuer = describeName(cert?.issuer);
          done({
            failure: { phase: 'tls', code: error, message: `the server certificate failed verification (${error})` },
            tls: { authorized: false, error, ...(subject ? { subject } : {}), ...(issuer ? { issuer } : {}) },
          });
        });
        s.on('error', (error) => {
          const { code, message } = errorFields(error);
          done({ failure: { phase: timings.connectMs === undefined ? 'connect' : 'tls', code, message } });
        });
      },
      (error: unknown) => done({ failure: { phase: 'connect', ...errorFields(error) } }),
    );
  });
}

/** One GET over a verified TLS socket; the socket is closed after the answer. Never throws. */
function getOver(
  socket: TLSSocket,
  host: string,
  path: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  timings: Timings,
  t0: number,
): Promise<DataplaneAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (a: DataplaneAnswer): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(a);
    };
    const req = httpRequest({
      host,
      method: 'GET',
      path,
      headers: { Host: host, 'User-Agent': USER_AGENT, Accept: 'application/json', ...headers },
      signal,
      createConnection: () => socket,
    });
    req.on('response', (res: IncomingMessage) => {
      timings.firstByteMs ??= since(t0);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
        if (size > MAX_BODY_READ) res.destroy();
      });
      const complete = (): void => {
        const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY);
        const status = res.statusCode ?? 0;
        const header = res.headers['x-ms-keyvault-network-info'];
        const networkInfo = Array.isArray(header) ? header.join(';') : header;
        const err = status >= 400 ? parseKeyVaultError(body) : {};
        finish({
          status,
          ...(networkInfo ? { networkInfo } : {}),
          ...(err.code ? { errorCode: err.code } : {}),
          ...(err.innerCode ? { innerErrorCode: err.innerCode } : {}),
          ...(err.message ? { errorMessage: err.message } : {}),
          tcpConnectionForbidden: status === 403 && TCP_FORBIDDEN.test(err.message ?? body),
        });
      };
      res.on('end', complete);
      res.on('close', complete);
      res.on('error', complete);
    });
    req.on('error', (error) => {
      const failure: Failure = signal.aborted
        ? { phase: 'timeout', code: 'ETIMEDOUT', message: 'no answer within the step timeout (after TLS)' }
        : { phase: 'http', ...errorFields(error) };
      finish({ tcpConnectionForbidden: false, failure });
    });
    req.end();
  });
}

/**
 * GET /healthstatus, then (with a token) the authenticated read, each on its own verified TLS connection with SNI
 * and Host set to the vault: one attempt each, no retry, timed per phase. Never throws.
 */
export async function observe(
  dial: Dial,
  host: string,
  address: string,
  signal: AbortSignal,
  auth: AuthenticatedRead | undefined,
  extra: Partial<DataplaneObservation>,
): Promise<DataplaneObservation> {
  const t0 = performance.now();
  const timings: Timings = {};
  const opened = await secure(dial, signal, timings, t0);
  if (!('socket' in opened)) {
    return {
      address,
      ...extra,
      tcpConnectionForbidden: false,
      failure: opened.failure,
      ...(opened.tls ? { tls: opened.tls } : {}),
      timings: { ...timings, totalMs: since(t0) },
    };
  }
  const health = await getOver(opened.socket, host, '/healthstatus', {}, signal, timings, t0);
  let authenticated: DataplaneObservation['authenticated'];
  if (auth && !health.failure && (auth.when?.(health.networkInfo) ?? true)) {
    const path = auth.path.split('?')[0] ?? auth.path;
    const again = await secure(dial, signal, {}, performance.now());
    authenticated =
      'socket' in again
        ? {
            path,
            ...(await getOver(
              again.socket,
              host,
              auth.path,
              { Authorization: `Bearer ${auth.token}` },
              signal,
              {},
              performance.now(),
            )),
          }
        : { path, tcpConnectionForbidden: false, failure: again.failure };
  }
  return {
    address,
    ...extra,
    ...health,
    ...(authenticated ? { authenticated } : {}),
    timings: { ...timings, totalMs: since(t0) },
  };
}

/** The data plane on one resolved address (or where `--connect-to` sends it), as a client here would reach it. */
export function probeDataplaneAt(
  host: string,
  address: string,
  rules: readonly ConnectToRule[],
  signal: AbortSignal,
  auth?: AuthenticatedRead,
): Promise<DataplaneObservation> {
  const target = connectTarget(rules, host, address);
  const redirected = target.host !== address || target.port !== 443;
  // `async` turns a synchronous throw from tls.connect (a bad option) into a rejection, which observe() handles.
  // eslint-disable-next-line @typescript-eslint/require-await
  const dial: Dial = async () =>
    tlsConnect({ host: target.host, port: target.port, servername: host, rejectUnauthorized: false });
  return observe(dial, host, address, signal, auth, redirected ? { connectedTo: `${target.host}:${target.port}` } : {});
}
