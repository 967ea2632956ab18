import { isIP } from 'node:net';
import { CLOUD_NAMES, cloudProfile, isCloudName, type CloudName } from '../probe/clouds';
import { parseConnectTo, type ConnectToRule } from '../probe/connect-to';
import { isSubscriptionId, parseVaultId, vaultNameProblem } from '../probe/names';
import { FINDING_CODES, type FindingCode } from '../probe/findings';
import type { VaultTarget } from '../probe/types';

/**
 * Each setting type, validated here and nowhere else. A parser takes the raw text and the label to name in its
 * problem (`PROBE_TIMEOUT_MS`, `--timeout`, `PROBE_VAULTS entry`); test/unit/config.test.ts pairs each with invalid
 * examples and their exact texts.
 */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };
export type Parser<T> = (value: string, label: string) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ value });
const fail = (problem: string): Parsed<never> => ({ problem });
const check =
  (problem: (value: string, label: string) => string | undefined): Parser<string> =>
  (value, label) => {
    const p = problem(value, label);
    return p === undefined ? ok(value) : fail(p);
  };

/** A whole number inside the range. */
export function int(range: { readonly min: number; readonly max: number }): Parser<number> {
  return (value, label) =>
    /^\d+$/.test(value) && Number(value) >= range.min && Number(value) <= range.max
      ? ok(Number(value))
      : fail(`${label} "${value}" is not allowed: use a whole number from ${range.min} to ${range.max}.`);
}

/** One of a fixed list; `listed` words the list in the problem (default: "one of a, b, c"). */
export function oneOf<const V extends string>(values: readonly V[], listed = `one of ${values.join(', ')}`): Parser<V> {
  return (value, label) =>
    (values as readonly string[]).includes(value)
      ? ok(value as V)
      : fail(`${label} "${value}" is not allowed: use ${listed}.`);
}

/** A finding code, any case (`--code dns_public_ip`). */
export const findingCodeName: Parser<FindingCode> = (value, label) => {
  const wanted = value.trim().toUpperCase().replace(/-/g, '_');
  const code = FINDING_CODES.find((c) => c === wanted);
  return code ? ok(code) : fail(`${label} "${value}" is not a finding code: run "kvprobe explain" for the list.`);
};

/** `on`/`off` as the app settings spell switches. */
export const onOff = oneOf(['on', 'off'], 'on or off');

export const subscription: Parser<string> = (value, label) =>
  isSubscriptionId(value)
    ? ok(value.toLowerCase())
    : fail(
        `${label} "${value}" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000.`,
      );

/** Vault and privatelink host suffixes of every cloud, Key Vault and Managed HSM. */
const HOST_SUFFIXES = CLOUD_NAMES.flatMap((c) => {
  const p = cloudProfile(c);
  return [
    { suffix: `.${p.privatelinkZone}`, privatelink: true },
    { suffix: `.privatelink.${p.hsmSuffix}`, privatelink: true },
    { suffix: `.${p.vaultSuffix}`, privatelink: false },
    { suffix: `.${p.hsmSuffix}`, privatelink: false },
  ];
});

/** `kv1.vault.azure.net`, `https://kv1.vault.azure.net/` or a privatelink host → the vault name; else undefined. */
export function vaultFromHost(value: string): { name: string; privatelink: boolean; host: string } | undefined {
  const host = value
    .replace(/^https:\/\//i, '')
    .replace(/[:/].*$/, '')
    .toLowerCase();
  for (const { suffix, privatelink } of HOST_SUFFIXES) {
    if (host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.'))
      return { name: host.slice(0, -suffix.length), privatelink, host };
  }
  return undefined;
}

/** A vault name, host name, URL or resource ID. */
export const vaultTarget: Parser<VaultTarget> = (value, label) => {
  const fromHost = vaultFromHost(value);
  if (fromHost && !vaultNameProblem(fromHost.name)) {
    return ok({ kind: 'name', name: fromHost.name, ...(fromHost.privatelink ? { configuredAs: fromHost.host } : {}) });
  }
  if (value.startsWith('/')) {
    const id = parseVaultId(value);
    if (typeof id === 'string') return fail(`${label} "${value}" ${id}.`);
    return ok({ kind: 'id', ...id });
  }
  const problem = vaultNameProblem(value);
  if (problem)
    return fail(
      `${label} "${value}" is not a valid Key Vault name: it ${problem} (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").`,
    );
  return ok({ kind: 'name', name: value });
};

/** A Key Vault or Managed HSM name (`PROBE_SITE_VAULTS`), kept lower-cased: names are unique case-insensitively. */
export const vaultName: Parser<string> = (value, label) => {
  const problem = vaultNameProblem(value);
  return problem
    ? fail(
        `${label} "${value}" is not a valid Key Vault name: it ${problem} (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").`,
      )
    : ok(value.toLowerCase());
};

/** Management group IDs: 1-90 characters of letters, digits, -, _, (, ), and periods not at the end. */
export const managementGroup = check((value, label) =>
  /^[\w\-().]{1,90}$/.test(value) && !value.endsWith('.')
    ? undefined
    : `${label} "${value}" is not a management group ID: 1-90 letters, digits, -, _, ( ) and periods.`,
);

export const vnetId = check((value, label) => {
  // Resource-ID grammar: no empty, "." or ".." segment (it would walk to another ARM path with the probe's token),
  // and none of the characters that would change the URL (query, fragment, escapes, backslash, spaces).
  const segmentsOk = value
    .split('/')
    .slice(1)
    .every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !/[?#%\\\s]/.test(seg));
  // A subnet ID (issue 20) names the probe's own subnet: its route table and service endpoints.
  return segmentsOk &&
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+(\/subnets\/[^/]+)?$/i.test(
      value,
    )
    ? undefined
    : `${label} "${value}" is not a virtual network or subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>[/subnets/<subnet>]).`;
});

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** `ip`, `ip:port`, a bare IPv6 address or `[ipv6]:port`, as c-ares takes them. */
export const dnsServer = check((value, label) => {
  const v4 = /^([^:[\]]+)(?::(\d+))?$/.exec(value);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const bare6 = isIP(value) === 6;
  const port = v4?.[2] ?? v6?.[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return `${label} "${value}" has port ${port}: allowed 1-65535.`;
  if ((v4 && IPV4.test(v4[1] ?? '')) || (v6 && isIP(v6[1] ?? '') === 6) || bare6) return undefined;
  return `${label} "${value}" is not a DNS server address: use IP, IP:PORT or [IPv6]:PORT.`;
});

/** curl's `--connect-to` rule; parseConnectTo words the problem after the label. */
export const connectTo: Parser<ConnectToRule> = (value, label) => {
  try {
    return ok(parseConnectTo(value));
  } catch (error) {
    return fail(`${label} ${error instanceof Error ? error.message : String(error)}.`);
  }
};

export const cloud: Parser<CloudName> = (value, label) =>
  isCloudName(value) ? ok(value) : fail(`${label} "${value}" is not allowed: use one of ${CLOUD_NAMES.join(', ')}.`);

export const armEndpoint = check((value, label) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // An unparseable URL may still carry user:password@: then it is not echoed either.
    return value.includes('@')
      ? `${label} is not a URL (value not shown): use https://host[:port].`
      : `${label} "${value}" is not a URL: use https://host[:port].`;
  }
  // Never echo the value here: it holds the credentials.
  if (url.username || url.password)
    return `${label} has user information before "@" (${url.protocol}//***@${url.host}): credentials are never taken from the URL; the probe authenticates with its identity.`;
  if (url.protocol !== 'https:')
    return `${label} "${value}" is not allowed: ARM must be reached over https:// (bearer tokens are never sent over http).`;
  if (url.pathname !== '/' || url.search || url.hash)
    return `${label} "${value}" is not allowed: give the endpoint root only, https://host[:port].`;
  return undefined;
});

/** NCRONTAB as Azure Functions timers take it: six fields, seconds first. `example` is the default schedule. */
export function schedule(example: string): Parser<string> {
  return check((value, label) => {
    const fields = value.trim().split(/\s+/);
    const field = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$|^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3})*$/;
    return fields.length === 6 && fields.every((f) => field.test(f))
      ? undefined
      : `${label} "${value}" is not an NCRONTAB expression: use six fields "{second} {minute} {hour} {day} {month} {day-of-week}", e.g. "${example}".`;
  });
}

/** `auto`, `off`, or whole seconds within an hour: where in its interval a site's timer starts. */
export const startOffset: Parser<'auto' | 'off' | number> = (value, label) =>
  value === 'auto' || value === 'off'
    ? ok(value)
    : /^\d+$/.test(value) && Number(value) <= 3599
      ? ok(Number(value))
      : fail(
          `${label} "${value}" is not allowed: use auto (from the site name), off, or whole seconds from 0 to 3599.`,
        );

export const connectionString = check((value, label) =>
  /(^|;)\s*InstrumentationKey=[0-9a-fA-F-]{36}\s*(;|$)/i.test(value)
    ? undefined
    : `${label} has no valid InstrumentationKey=<GUID>: copy the connection string from the Application Insights resource.`,
);

// The value is not echoed: it may be a secret, and problems reach the HTTP trigger's 500 body and the log.
export const authenticationString = check((value, label) =>
  /(^|;)\s*Authorization\s*=\s*AAD\s*(;|$)/i.test(value)
    ? undefined
    : `${label} is not allowed as set (value not shown): use "Authorization=AAD" or "Authorization=AAD;ClientId=<managed identity client id>".`,
);

/** A free label; only an empty one (blank once trimmed) is refused. */
export const label = check((value, name) =>
  value.trim() ? undefined : `${name} "${value.trim()}" is not allowed: give a non-empty label.`,
);

/** Any text (tokens, IDs read by the SDKs). */
export const text: Parser<string> = (value) => ok(value);
