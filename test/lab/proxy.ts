import { promises as dns } from 'node:dns';
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { DEFAULT_HOST, SocketTracker, closeServer, listen } from './net';
import type { LabPki } from './tls';

/**
 * An HTTP CONNECT proxy as corporate networks run them. `tunnel`: resolves the host through the lab's DNS and
 * splices bytes. `rewrite-host`: inspects TLS with a certificate from the lab CA (trusted as inspection CAs are),
 * and forwards the request with its Host and SNI rewritten to the privatelink name: a misconfiguration that makes
 * Key Vault answer "This TCP connection does not allow access". `inspect-untrusted`: inspects TLS with a
 * certificate from a CA the probe does not trust (`untrustedPki`), and forwards the request unchanged.
 */
export interface ProxyOptions {
  readonly pki: LabPki;
  readonly mode: ProxyMode;
  /** The inspection CA of `inspect-untrusted`, which nothing in the lab trusts. */
  readonly untrustedPki?: LabPki;
  /** `host:port` of the lab DNS server the proxy resolves with. */
  readonly dnsServer: string;
  /** Where to connect for a resolved address (loopback mode maps addresses onto listeners). */
  readonly connectTarget: (address: string) => { host: string; port: number };
  readonly host?: string;
  readonly port?: number;
}

export type ProxyMode = 'tunnel' | 'rewrite-host' | 'inspect-untrusted';

export class LabProxy {
  readonly connects: { target: string; forwardedHost?: string }[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly tracker: SocketTracker,
    readonly host: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  static async start(opts: ProxyOptions): Promise<LabProxy> {
    const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([opts.dnsServer]);
    const server = http.createServer((_req, res) => {
      res.writeHead(405).end();
    });
    const tracker = new SocketTracker(server);
    const host = opts.host ?? DEFAULT_HOST;
    // The proxy object exists only once the server listens; the handlers below reach it through this box.
    const self: { proxy?: LabProxy } = {};
    server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const [target = '', portText = '443'] = (req.url ?? '').split(':');
      void (async () => {
        let address: string;
        try {
          address = (await resolver.resolve4(target))[0] ?? '';
        } catch {
          client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
          return;
        }
        const upstreamAt = opts.connectTarget(address);
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (opts.mode === 'tunnel') {
          self.proxy?.connects.push({ target: `${target}:${portText}` });
          const upstream = net.connect(upstreamAt.port, upstreamAt.host, () => {
            if (head.length > 0) upstream.write(head);
            client.pipe(upstream).pipe(client);
          });
          tracker.track(upstream);
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
          return;
        }
        // Inspection: terminate TLS for the name the client asked for, then re-originate (with another Host when
        // rewriting).
        const label = target.split('.')[0] ?? target;
        const rewritten = opts.mode === 'rewrite-host' ? `${label}.privatelink.vaultcore.azure.net` : target;
        self.proxy?.connects.push({
          target: `${target}:${portText}`,
          ...(opts.mode === 'rewrite-host' ? { forwardedHost: rewritten } : {}),
        });
        const inspector = opts.mode === 'inspect-untrusted' ? opts.untrustedPki : opts.pki;
        if (!inspector) throw new Error('inspect-untrusted needs untrustedPki');
        const { key, cert } = inspector.issue([target]);
        const inner = new tls.TLSSocket(client, { isServer: true, key, cert });
        tracker.track(inner);
        let buffered = Buffer.alloc(0);
        const onData = (chunk: Buffer): void => {
          buffered = Buffer.concat([buffered, chunk]);
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          inner.off('data', onData);
          const request = buffered.toString('latin1').replace(/^host:.*$/im, `Host: ${rewritten}`);
          const upstream = tls.connect(
            { host: upstreamAt.host, port: upstreamAt.port, servername: rewritten, rejectUnauthorized: false },
            () => {
              upstream.write(Buffer.from(request, 'latin1'));
              upstream.pipe(inner);
              inner.pipe(upstream);
            },
          );
          tracker.track(upstream);
          upstream.on('error', () => inner.destroy());
        };
        inner.on('data', onData);
        inner.on('error', () => client.destroy());
      })();
    });
    const port = await listen(server, host, opts.port ?? 0);
    self.proxy = new LabProxy(server, tracker, host, port);
    return self.proxy;
  }

  async stop(): Promise<void> {
    await closeServer(this.server, this.tracker);
  }
}
