import * as http from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';
import type { ArmEmulator, ArmFault, ArmResource } from './arm-emulator';
import { DEFAULT_HOST, SocketTracker, closeServer, listen } from './net';
import type { LabPki } from './tls';

/**
 * Hostile and broken ARM answers for the fault suite (issue 11): what a broken gateway, a buggy service or an
 * attacker between the probe and ARM could send. None of these is ARM's documented behaviour; each stands for a
 * failure seen or feared, and FACTS.md marks them as our assumptions.
 */

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(payload.length),
  });
  res.end(payload);
}

/** Streams `chunk` until `total` bytes went out or the client went away, honouring backpressure. */
function stream(res: http.ServerResponse, chunk: Buffer, total: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => {
    sent = total;
  });
  pump();
}

const vaultList = (url: URL): boolean => /\/providers\/Microsoft\.KeyVault\/vaults\/?$/i.test(url.pathname);

/** Faults on the subscription's vault list (the first ARM list every subscription scan reads). */
export function hostileVaultList(
  kind: HostileKind,
  arm: ArmEmulator,
  vaults: readonly ArmResource[],
  foreign?: ForeignOrigin,
): ArmFault {
  const respond = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    switch (kind) {
      case 'self-next-link':
        // Every page links to itself, with items: a naive pager grows until the process dies.
        return json(res, 200, { value: Array.from({ length: 200 }, () => vaults[0]), nextLink: url.toString() });
      case 'page-2-hangs':
        if (url.searchParams.has('page2')) return; // never answered
        return json(res, 200, { value: vaults, nextLink: `${url.toString()}${url.search ? '&' : '?'}page2=1` });
      case 'foreign-next-link':
        return json(res, 200, {
          value: vaults,
          nextLink: `${foreign?.url ?? 'https://127.0.0.1:9'}${url.pathname}${url.search}`,
        });
      case 'gzip-bomb': {
        // About 1 MB on the wire that inflates to 1 GiB: 64 gzip members of 16 MiB of zeros each.
        const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Encoding': 'gzip' });
        return stream(res, member, member.length * 64);
      }
      case 'huge-body':
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        return stream(res, Buffer.alloc(1024 * 1024, 0x20), 700 * 1024 * 1024);
      case 'hostile-error-text':
        // Escape codes that clear the screen, a forged summary line after CR/LF, and 60,000 characters.
        return json(res, 403, {
          error: {
            code: 'AuthorizationFailed',
            message: `\u001b[2J\u001b[1;1HDenied.\r\n1 probed: 1 healthy, 0 unhealthy, 0 unknown\r\n\u0007${'A'.repeat(60_000)}`,
          },
        });
      case 'invented-vault-uri':
        return json(res, 200, {
          value: vaults.map((v) => ({
            ...v,
            properties: { ...(v['properties'] as object), vaultUri: 'https://127.0.0.2:9999/' },
          })),
        });
    }
    void req;
    void arm;
  };
  return { kind: 'respond', match: (r) => r.method === 'GET' && vaultList(new URL(r.path, 'https://x')), respond };
}

/** Resource Graph answering the same $skipToken forever. */
export function repeatingSkipToken(): ArmFault {
  return {
    kind: 'respond',
    match: (r) => r.method === 'POST' && /resourcegraph/i.test(r.path),
    respond: (req, res) => {
      req.resume();
      json(res, 200, {
        totalRecords: 1000,
        count: 1,
        resultTruncated: 'false',
        $skipToken: 'c2FtZS1hZ2Fpbg',
        facets: [],
        data: [],
      });
    },
  };
}

export type HostileKind =
  | 'self-next-link'
  | 'page-2-hangs'
  | 'foreign-next-link'
  | 'gzip-bomb'
  | 'huge-body'
  | 'hostile-error-text'
  | 'invented-vault-uri';

/** Another HTTPS origin, trusted by the lab CA: it only counts requests and whether they carried a token. */
export class ForeignOrigin {
  readonly requests: { path: string; authorization: boolean }[] = [];
  private constructor(
    private readonly server: https.Server,
    private readonly tracker: SocketTracker,
    readonly url: string,
  ) {}

  static async start(pki: LabPki): Promise<ForeignOrigin> {
    const { key, cert } = pki.issue(['localhost', DEFAULT_HOST]);
    const server = https.createServer({ key, cert });
    const tracker = new SocketTracker(server);
    const port = await listen(server, DEFAULT_HOST, 0);
    const origin = new ForeignOrigin(server, tracker, `https://${DEFAULT_HOST}:${port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      origin.requests.push({ path: req.url ?? '', authorization: req.headers.authorization !== undefined });
      json(res, 200, { value: [] });
    });
    return origin;
  }

  stop(): Promise<void> {
    return closeServer(this.server, this.tracker);
  }
}
