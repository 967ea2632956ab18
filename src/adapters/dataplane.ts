import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { since } from '../probe/concurrency';
import { connectTarget, type ConnectToRule } from '../probe/connect-to';
import type { DataplaneObservation } from '../probe/types';

const MAX_BODY = 64 * 1024;
const TCP_FORBIDDEN = /this tcp connection does not allow access/i;

type Failure = NonNullable<DataplaneObservation['failure']>;

function failureOf(error: unknown, connected: boolean, secured: boolean, aborted: boolean): Failure {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'UNKNOWN';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (aborted) return { phase: 'timeout', code: 'ETIMEDOUT', message: `no answer within the step timeout (${connected ? (secured ? 'after TLS' : 'during TLS') : 'during connect'})` };
  if (!connected) return { phase: 'connect', code, message };
  if (!secured) return { phase: 'tls', code, message };
  return { phase: 'http', code, message };
}

/** Pulls `error.code`, `error.innererror.code` and `error.message` out of a Key Vault error body. */
export function parseKeyVaultError(body: string): { code?: string; innerCode?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } } };
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

/**
 * One unauthenticated GET /healthstatus to one address, with SNI and Host set to the vault hostname: a single
 * attempt, no retry, timed per phase. Never throws.
 */
export function probeHealthStatus(
  host: string,
  address: string,
  rules: readonly ConnectToRule[],
  signal: AbortSignal,
  tunnel?: { readonly socket: Socket; readonly via: string; readonly t0: number; readonly connectMs: number },
): Promise<DataplaneObservation> {
  const target = connectTarget(rules, host, address);
  const redirected = !tunnel && (target.host !== address || target.port !== 443);
  const connectedTo = redirected ? `${target.host}:${target.port}` : undefined;
  const t0 = tunnel?.t0 ?? performance.now();
  const timings: { connectMs?: number; tlsMs?: number; firstByteMs?: number } = tunnel ? { connectMs: tunnel.connectMs } : {};
  let connected = tunnel !== undefined;
  let secured = false;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: Omit<DataplaneObservation, 'address' | 'timings'>): void => {
      if (settled) return;
      settled = true;
      resolve({ address, ...(connectedTo ? { connectedTo } : {}), ...(tunnel ? { via: tunnel.via } : {}), ...o, timings: { ...timings, totalMs: since(t0) } });
    };
    if (signal.aborted) {
      finish({ tcpConnectionForbidden: false, failure: failureOf(new Error('aborted'), false, false, true) });
      return;
    }
    const req = request({
      host: target.host,
      port: target.port,
      method: 'GET',
      path: '/healthstatus',
      servername: host,
      headers: { Host: host, 'User-Agent': 'kv-privatelink-probe', Accept: 'application/json' },
      signal,
      // Through a proxy: TLS to the vault inside the CONNECT tunnel, with the vault's name as SNI. (No agent then:
      // any agent, even agent:false's throwaway one, would open its own connection and bypass the tunnel.)
      ...(tunnel ? { createConnection: () => tlsConnect({ socket: tunnel.socket, servername: host }) } : { agent: false }),
    });
    req.on('socket', (socket) => {
      const tls = socket as TLSSocket;
      tls.once('connect', () => {
        connected = true;
        timings.connectMs = since(t0);
      });
      tls.once('secureConnect', () => {
        connected = true;
        secured = true;
        timings.tlsMs = since(t0);
      });
    });
    req.on('response', (res) => {
      timings.firstByteMs = since(t0);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('error', (error) => finish({ tcpConnectionForbidden: false, failure: failureOf(error, true, true, signal.aborted) }));
      res.on('end', () => {
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
      });
    });
    req.on('error', (error) => finish({ tcpConnectionForbidden: false, failure: failureOf(error, connected, secured, signal.aborted) }));
    req.end();
  });
}

/** `http://user:pass@host:port` → the URL to show, without credentials. */
export function redactProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return proxy.replace(/\/\/[^@/]*@/, '//');
  }
}

/**
 * GET /healthstatus the way a client behind the proxy would make it: CONNECT <host>:443 through the proxy, then
 * TLS with the vault's name as SNI inside the tunnel. A proxy that inspects TLS and rewrites the Host shows here.
 */
export function probeHealthStatusViaProxy(host: string, proxy: string, signal: AbortSignal): Promise<DataplaneObservation> {
  const via = redactProxy(proxy);
  const t0 = performance.now();
  const fail = (phase: 'connect' | 'timeout', code: string, message: string): DataplaneObservation => ({
    address: host,
    via,
    tcpConnectionForbidden: false,
    failure: { phase, code, message },
    timings: { totalMs: since(t0) },
  });
  let url: URL;
  try {
    url = new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
  } catch {
    return Promise.resolve(fail('connect', 'EINVALIDPROXY', `${via} is not a proxy URL`));
  }
  if (url.protocol !== 'http:') return Promise.resolve(fail('connect', 'EPROXYSCHEME', `only http:// proxies are probed, not ${url.protocol}`));
  return new Promise((resolve) => {
    const auth = url.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` } : {};
    const req = httpRequest({ host: url.hostname, port: Number(url.port || 80), method: 'CONNECT', path: `${host}:443`, headers: { Host: `${host}:443`, ...auth }, agent: false, signal });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        resolve(fail('connect', `PROXY_${res.statusCode ?? 0}`, `the proxy answered CONNECT with ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      // One request per tunnel: close it after, or the open tunnel keeps the process alive.
      probeHealthStatus(host, host, [], signal, { socket, via, t0, connectMs: since(t0) }).then(
        (o) => {
          socket.destroy();
          resolve(o);
        },
        () => {
          socket.destroy();
          resolve(fail('connect', 'EPROXY', 'tunnel failed'));
        },
      );
    });
    req.on('error', (error) => {
      const e = error as { code?: unknown; message?: unknown };
      resolve(signal.aborted ? fail('timeout', 'ETIMEDOUT', 'no answer from the proxy within the step timeout') : fail('connect', typeof e.code === 'string' ? e.code : 'UNKNOWN', String(e.message)));
    });
    req.end();
  });
}
