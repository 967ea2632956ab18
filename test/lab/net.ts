import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { isIPv6 } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';

/** Loopback unless a test asks otherwise: the lab must never be reachable from outside the machine. */
export const DEFAULT_HOST = '127.0.0.1';

/** `host:port`, bracketing IPv6 literals so the result parses as a URL authority. */
export function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The address a peer presented, without the IPv4-mapped IPv6 prefix that dual-stack sockets add. */
export function plainAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function listen(server: NetServer | HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      if (addr === null || typeof addr === 'string') {
        reject(new Error('server has no TCP address after listen'));
        return;
      }
      resolve(addr.port);
    });
  });
}

/**
 * Remembers every TCP socket a server accepted. Keep-alive clients (the Azure SDK, the App Insights
 * exporter) leave idle connections open, and `server.close()` waits for them forever; destroying them
 * is the only way to make stop() prompt.
 */
export class SocketTracker {
  private readonly sockets = new Set<Socket>();

  constructor(server: NetServer | HttpServer) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Also remembers a socket the server opened itself (a proxy's upstream connection). */
  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

export async function closeServer(server: NetServer | HttpServer, tracker: SocketTracker): Promise<void> {
  if (!server.listening) {
    tracker.destroyAll();
    return;
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  tracker.destroyAll();
  await closed;
}

/**
 * Timers that a stop() can cancel. A server that sleeps before answering (latency faults) must not
 * leave a pending timeout behind, or jest reports an open handle and the process lingers.
 */
export class Timers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  /** Resolves true after `ms`, or false at once if the owner is (or becomes) stopped. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}

/** Reads a request body, refusing absurd sizes so a misbehaving client cannot exhaust test memory. */
export function readBody(req: IncomingMessage, limitBytes = 32 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new Error(`request body larger than ${limitBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted before its body was complete'));
    });
  });
}
