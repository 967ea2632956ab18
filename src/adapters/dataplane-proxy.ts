import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { since } from '../probe/concurrency';
import type { AuthenticatedRead } from '../probe/dataplane-auth';
import type { DataplaneObservation } from '../probe/types';
import { errorFields, observe, type Dial, type Failure, type Timings } from './dataplane';

/** `http://user:pass@host:port` → the URL to show, without credentials. */
export function redactProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return proxy.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Opens a CONNECT tunnel to `<host>:443` through an http:// proxy. */
function tunnel(url: URL, host: string, signal: AbortSignal, timings: Timings, t0: number): Promise<Socket | Failure> {
  return new Promise((resolve) => {
    const auth = url.username
      ? {
          'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
        }
      : {};
    const req = httpRequest({
      host: url.hostname,
      port: Number(url.port || 80),
      method: 'CONNECT',
      path: `${host}:443`,
      headers: { Host: `${host}:443`, ...auth },
      agent: false,
      signal,
    });
    req.on('connect', (res, socket) => {
      timings.connectMs = since(t0);
      if (res.statusCode !== 200) {
        socket.destroy();
        resolve({
          phase: 'connect',
          code: `PROXY_${res.statusCode ?? 0}`,
          message: `the proxy answered CONNECT with ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
        });
        return;
      }
      resolve(socket);
    });
    req.on('error', (error) =>
      resolve(
        signal.aborted
          ? { phase: 'timeout', code: 'ETIMEDOUT', message: 'no answer from the proxy within the step timeout' }
          : { phase: 'connect', ...errorFields(error) },
      ),
    );
    req.end();
  });
}

/**
 * The data plane the way a client behind the proxy reaches it: CONNECT <host>:443 through the proxy, then TLS with
 * the vault's name as SNI inside the tunnel, verified end to end. A proxy that inspects TLS with a CA this machine
 * does not trust fails verification here (and gets no token); one that rewrites the Host shows in the authenticated
 * read.
 */
export function probeDataplaneViaProxy(
  host: string,
  proxy: string,
  signal: AbortSignal,
  auth?: AuthenticatedRead,
): Promise<DataplaneObservation> {
  const via = redactProxy(proxy);
  let url: URL;
  try {
    url = new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
  } catch {
    return Promise.resolve({
      address: host,
      via,
      tcpConnectionForbidden: false,
      failure: { phase: 'connect', code: 'EINVALIDPROXY', message: `${via} is not a proxy URL` },
      timings: { totalMs: 0 },
    });
  }
  if (url.protocol !== 'http:') {
    return Promise.resolve({
      address: host,
      via,
      tcpConnectionForbidden: false,
      failure: {
        phase: 'connect',
        code: 'EPROXYSCHEME',
        message: `only http:// proxies are probed, not ${url.protocol}`,
      },
      timings: { totalMs: 0 },
    });
  }
  const dial: Dial = async (timings, t0) => {
    const s = await tunnel(url, host, signal, timings, t0);
    return 'phase' in s ? s : tlsConnect({ socket: s, servername: host, rejectUnauthorized: false });
  };
  return observe(dial, host, host, signal, auth, { via });
}
