import type { ProxyObservation } from './types';

/** Variables HTTPS clients consult, in the order most of them do (the Azure SDKs fall back to HTTP_PROXY). */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'] as const;

/** True when a NO_PROXY list exempts `host` on port 443 (curl's rules: `*`, suffixes with or without a dot, host:port). */
export function noProxyExempts(noProxy: string, host: string): boolean {
  const h = host.toLowerCase();
  return noProxy
    .split(/[,\s]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      let name = entry;
      const portMatch = /^(.*):(\d+)$/.exec(entry);
      if (portMatch) {
        if (portMatch[2] !== '443') return false;
        name = portMatch[1] ?? '';
      }
      name = name.replace(/^\*?\./, '');
      return h === name || h.endsWith(`.${name}`);
    });
}

/** The proxy setting that would carry HTTPS traffic to `host`, if any. */
export function proxyForHost(
  host: string,
  env: Readonly<Record<string, string | undefined>>,
): ProxyObservation | undefined {
  const noProxy = env['NO_PROXY'] ?? env['no_proxy'];
  if (noProxy && noProxyExempts(noProxy, host)) return undefined;
  for (const variable of PROXY_VARIABLES) {
    const value = env[variable]?.trim();
    if (value) return { variable, value, noProxy: noProxy || undefined };
  }
  return undefined;
}
