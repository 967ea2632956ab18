import { isIP } from 'node:net';

/** curl's --connect-to: where host1:port1 was meant, connect to host2:port2, keeping SNI and Host. */
export interface ConnectToRule {
  /** Empty matches any host. Matches the vault hostname or the resolved address. */
  readonly fromHost: string;
  /** Undefined matches any port. */
  readonly fromPort: number | undefined;
  /** Empty keeps the host. */
  readonly toHost: string;
  readonly toPort: number | undefined;
}

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (underscores allowed, as in SRV names). */
const DNS_NAME =
  /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** Splits on colons outside [brackets], so IPv6 literals can be written as [::1]. */
function splitFields(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((f) => f.replace(/^\[(.*)\]$/, '$1'));
}

function port(text: string, original: string): number | undefined {
  if (text === '') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new Error(`"${original}": port "${text}" is not 1-65535`);
  return n;
}

/** Parses `host1:port1:host2:port2`; throws with the reason when malformed. */
export function parseConnectTo(value: string): ConnectToRule {
  const fields = splitFields(value);
  if (fields.length !== 4) throw new Error(`"${value}" is not HOST1:PORT1:HOST2:PORT2`);
  const [fromHost = '', fromPort = '', toHost = '', toPort = ''] = fields;
  for (const [what, h] of [
    ['HOST1', fromHost],
    ['HOST2', toHost],
  ] as const) {
    if (h !== '' && !isIP(h) && !DNS_NAME.test(h))
      throw new Error(`"${value}": ${what} "${h}" is not an IP address or a DNS name`);
  }
  return { fromHost: fromHost.toLowerCase(), fromPort: port(fromPort, value), toHost, toPort: port(toPort, value) };
}

/** Where to connect for (host, address, 443): the first rule naming the address, else the host, else any. */
export function connectTarget(
  rules: readonly ConnectToRule[],
  host: string,
  address: string,
  wantedPort = 443,
): { host: string; port: number } {
  const portOk = (r: ConnectToRule): boolean => r.fromPort === undefined || r.fromPort === wantedPort;
  const rule =
    rules.find((r) => r.fromHost === address.toLowerCase() && portOk(r)) ??
    rules.find((r) => r.fromHost === host.toLowerCase() && portOk(r)) ??
    rules.find((r) => r.fromHost === '' && portOk(r));
  if (!rule) return { host: address, port: wantedPort };
  return { host: rule.toHost || address, port: rule.toPort ?? wantedPort };
}
