import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Debian's chromium: the launcher script, or the binary it runs. */
export function chromiumPath(): string | undefined {
  for (const p of [process.env['KVPROBE_CHROMIUM'], '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(
    (x): x is string => !!x,
  )) {
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Flags that keep Chromium off the network: no background services, no component or safe-browsing updates, no
 * metrics, every host name unresolvable and every proxied request sent to a closed loopback port. The browser
 * also runs in a network namespace of its own when the kernel allows one, where no interface but a down loopback
 * exists. It is only ever given file:// pages.
 */
export const OFFLINE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--no-pings',
  '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://127.0.0.1:9',
  '--hide-scrollbars',
  '--font-render-hinting=none',
];

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

export interface CdpEvent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId?: string;
}

/** Chromium driven over the DevTools protocol through a pipe (--remote-debugging-pipe): no debugging port at all. */
export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  readonly events: CdpEvent[] = [];
  private readonly listeners: ((e: CdpEvent) => void)[] = [];
  stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
    readonly isolated: boolean,
  ) {
    const out = child.stdio[4] as Readable;
    out.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited: ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  static launch(binary: string): Chromium {
    const profile = mkdtempSync(join(tmpdir(), 'kvprobe-chromium-'));
    const args = [...OFFLINE_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'];
    const isolated = spawnSync('unshare', ['-rn', 'true']).status === 0;
    const [cmd, argv] = isolated ? ['unshare', ['-rn', '--', binary, ...args]] : [binary, args];
    const child = spawn(cmd, argv, {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOME: profile },
    });
    return new Chromium(child, profile, isolated);
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(message.error.message));
        else p?.resolve(message.result ?? {});
      } else if (message.method) {
        const e: CdpEvent = {
          method: message.method,
          params: message.params ?? {},
          ...(message.sessionId ? { sessionId: message.sessionId } : {}),
        };
        this.events.push(e);
        for (const l of this.listeners) l(e);
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  waitFor(method: string, timeoutMs = 15_000): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.listeners.push((e) => {
        if (e.method === method) {
          clearTimeout(timer);
          resolve(e);
        }
      });
    });
  }

  /** A new tab, attached: returns a session-bound sender. */
  async newPage(): Promise<{
    send: (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;
    sessionId: string;
  }> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    return { sessionId, send: (method, params = {}) => this.send(method, params, sessionId) };
  }

  async close(): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.send('Browser.close'), new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
    } catch {
      // Already gone.
    }
    // Wait for the browser to be gone before its profile is removed: it writes there until it exits.
    const exited = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
        const timer = setTimeout(resolve, ms);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    await exited(5000);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await exited(5000);
    }
    // Its helper processes may still be closing files in the profile for a moment.
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
