import { isIP } from 'node:net';

/** Parses dotted IPv4 into a number, or undefined. */
function ipv4ToInt(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

const PRIVATE_V4: readonly [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  // Carrier-grade NAT space: used by some hub designs for endpoints, never routed on the internet.
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
];

function inRange(address: number, base: string, bits: number): boolean {
  const start = ipv4ToInt(base) ?? 0;
  const size = 2 ** (32 - bits);
  return address >= start && address < start + size;
}

/**
 * True for addresses that cannot be a Key Vault public front end: RFC 1918, CGNAT, loopback, link-local, and
 * IPv6 unique-local/link-local/loopback. A private endpoint's NIC always has one of these.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    const value = ipv4ToInt(address);
    return value !== undefined && PRIVATE_V4.some(([base, bits]) => inRange(value, base, bits));
  }
  if (family === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return isPrivateAddress(mapped[1]);
    return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  return false;
}

/** Addresses sorted for stable output and comparison. */
export function sortAddresses(addresses: Iterable<string>): string[] {
  return [...new Set(addresses)].sort((a, b) => {
    const x = ipv4ToInt(a);
    const y = ipv4ToInt(b);
    if (x !== undefined && y !== undefined) return x - y;
    return a.localeCompare(b);
  });
}

/** True when IPv4 `address` lies in `cidr` (a.b.c.d/n). */
export function inPrefix(address: string, cidr: string): boolean {
  const [base = '', bitsText = '32'] = cidr.split('/');
  const a = ipv4ToInt(address);
  const b = ipv4ToInt(base);
  const bits = Number(bitsText);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  const start = b - (b % size);
  return a >= start && a < start + size;
}
