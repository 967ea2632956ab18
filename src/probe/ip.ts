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

/** The rule that classified an address: the RFC that makes it private, a site prefix, or none (public). */
export type AddressRule =
  'rfc1918' | 'rfc6598' | 'loopback' | 'link-local' | 'ipv6-ula' | 'site-prefix' | 'public' | 'not-an-ip';

const PRIVATE_V4: readonly [string, number, AddressRule][] = [
  ['10.0.0.0', 8, 'rfc1918'],
  ['172.16.0.0', 12, 'rfc1918'],
  ['192.168.0.0', 16, 'rfc1918'],
  // Carrier-grade NAT space: used by some VNets for address space, never routed on the internet.
  ['100.64.0.0', 10, 'rfc6598'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
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
  return classifyAddress(address).private;
}

/** Whether an address is private, and the rule that decided. */
export interface AddressClass {
  readonly private: boolean;
  readonly rule: AddressRule;
  /** The site prefix that matched, for `site-prefix`. */
  readonly prefix?: string;
}

/**
 * Classifies an address: RFC 1918, RFC 6598 (shared address space), loopback, link-local and IPv6 unique-local or
 * link-local are private; so is any address inside `sitePrefixes` (the address spaces of the probe's VNet and its
 * peers, which may be public ranges used privately). Everything else is public.
 */
export function classifyAddress(address: string, sitePrefixes: readonly string[] = []): AddressClass {
  const family = isIP(address);
  if (family === 4) {
    const value = ipv4ToInt(address);
    const hit = value === undefined ? undefined : PRIVATE_V4.find(([base, bits]) => inRange(value, base, bits));
    if (hit) return { private: true, rule: hit[2] };
  } else if (family === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return classifyAddress(mapped[1], sitePrefixes);
    if (lower === '::1') return { private: true, rule: 'loopback' };
    if (/^f[cd]/.test(lower)) return { private: true, rule: 'ipv6-ula' };
    if (/^fe[89ab]/.test(lower)) return { private: true, rule: 'link-local' };
  } else {
    return { private: false, rule: 'not-an-ip' };
  }
  const prefix = sitePrefixes.find((p) => inPrefix(address, p));
  return prefix ? { private: true, rule: 'site-prefix', prefix } : { private: false, rule: 'public' };
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
