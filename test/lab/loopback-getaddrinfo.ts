/**
 * Loopback mode only (no network namespace): stands in for getaddrinfo in a process, because the machine's own
 * resolver cannot be pointed at the lab. It answers from the scenario's hosts entries (KVPROBE_LAB_HOSTS, JSON
 * name → addresses), then from the lab DNS server (KVPROBE_LAB_DNS, host:port). Every other name fails with
 * ENOTFOUND, so nothing in the process can look up, and so reach, a host outside the lab.
 * Loaded with `node --require` into the CLI, and installed in-process for the timer.
 */
// The CommonJS module object itself, whose `lookup` is replaced: an ES namespace import would be read-only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import dns = require('node:dns');
import { isIP } from 'node:net';

type LookupAddress = { address: string; family: number };

/** How the stand-in asks the lab's DNS server: per-try timeout and tries, as resolv.conf's `timeout` and `attempts`. */
export interface StandInResolver {
  readonly timeoutMs: number;
  readonly tries: number;
}

/** What the lab's namespace writes into resolv.conf (`options timeout:1 attempts:1`): a silent server fails fast. */
export const LAB_RESOLVER: StandInResolver = { timeoutMs: 1000, tries: 1 };
/** glibc's defaults when resolv.conf sets no options (timeout 5 s, 2 attempts): a production resolver, for the bench. */
export const GLIBC_DEFAULT_RESOLVER: StandInResolver = { timeoutMs: 5000, tries: 2 };

export function installLoopbackGetaddrinfo(
  hostsJson: string,
  dnsServer: string,
  options: StandInResolver = LAB_RESOLVER,
): void {
  const hosts = JSON.parse(hostsJson) as Record<string, string[]>;
  const resolver = new dns.promises.Resolver({ timeout: options.timeoutMs, tries: options.tries });
  resolver.setServers([dnsServer]);

  async function lookupAll(name: string): Promise<LookupAddress[]> {
    const host = name.toLowerCase().replace(/\.$/, '');
    if (isIP(host)) return [{ address: host, family: isIP(host) }];
    if (host === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
    const pinned = hosts[host];
    if (pinned) return pinned.map((address) => ({ address, family: isIP(address) }));
    try {
      return (await resolver.resolve4(host)).map((address) => ({ address, family: 4 }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      const e = new Error(
        `getaddrinfo ${code === 'ETIMEOUT' ? 'EAI_AGAIN' : 'ENOTFOUND'} ${host}`,
      ) as NodeJS.ErrnoException;
      e.code = code === 'ETIMEOUT' || code === 'ESERVFAIL' ? 'EAI_AGAIN' : 'ENOTFOUND';
      throw e;
    }
  }

  const promiseLookup = async (name: string, options?: unknown): Promise<LookupAddress | LookupAddress[]> => {
    const all = await lookupAll(name);
    const wantAll = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    if (wantAll) return all;
    const first = all[0];
    if (!first) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return first;
  };

  function callbackLookup(name: string, options: unknown, callback?: unknown): void {
    const cb = (typeof options === 'function' ? options : callback) as (
      err: Error | null,
      a?: unknown,
      f?: number,
    ) => void;
    const opts = typeof options === 'function' ? {} : options;
    promiseLookup(name, opts).then(
      (r) => (Array.isArray(r) ? cb(null, r) : cb(null, r.address, r.family)),
      (e: Error) => cb(e),
    );
  }

  Object.defineProperty(dns, 'lookup', { value: callbackLookup, configurable: true, writable: true });
  Object.defineProperty(dns.promises, 'lookup', { value: promiseLookup, configurable: true, writable: true });
}

const hostsEnv = process.env['KVPROBE_LAB_HOSTS'];
const dnsEnv = process.env['KVPROBE_LAB_DNS'];
if (hostsEnv !== undefined && dnsEnv) installLoopbackGetaddrinfo(hostsEnv, dnsEnv);
