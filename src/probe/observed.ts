import type { CustomDnsAnswer } from './types';

/** What the probe observed from where it runs: the resolvers and the data plane. */
/** A DNS failure in words the checks understand. */
export type DnsErrorKind = 'NXDOMAIN' | 'NODATA' | 'SERVFAIL' | 'REFUSED' | 'TIMEOUT' | 'OTHER';

export interface DnsError {
  readonly kind: DnsErrorKind;
  /** The resolver's own code, e.g. ENOTFOUND, ESERVFAIL. */
  readonly code: string;
  readonly message: string;
}

/** What the OS resolver (`getaddrinfo`: hosts file, nsswitch, resolv.conf) returns. */
export interface OsResolution {
  readonly addresses: readonly string[];
  readonly error?: DnsError;
  readonly durationMs: number;
}

/** What an explicit DNS query returns: the CNAME chain, the final A records and their TTL. */
export interface DnsResolution {
  readonly servers: readonly string[];
  readonly cnames: readonly string[];
  readonly addresses: readonly string[];
  readonly ttl?: number;
  readonly error?: DnsError;
  readonly durationMs: number;
}

export interface ObservedDns {
  readonly os: OsResolution;
  readonly dns: DnsResolution;
}

/** The answer of one HTTP request to the data plane (status, Key Vault's network header, its error fields). */
export interface DataplaneAnswer {
  readonly status?: number;
  /** Raw `x-ms-keyvault-network-info` header. */
  readonly networkInfo?: string;
  readonly errorCode?: string;
  readonly innerErrorCode?: string;
  readonly errorMessage?: string;
  /** The 403 body said "This TCP connection does not allow access". */
  readonly tcpConnectionForbidden: boolean;
  readonly failure?: {
    readonly phase: 'connect' | 'tls' | 'http' | 'timeout';
    readonly code: string;
    readonly message: string;
  };
}

/**
 * What the probe saw on one address: the TLS handshake (verified before anything is sent), an unauthenticated
 * GET /healthstatus (which Key Vault answers whatever the Host or the firewall says, with its network header), and,
 * when a data-plane token was at hand, one authenticated read that Key Vault judges by endpoint, Host, firewall and
 * authorization in that order: the request that reproduces the 403.
 */
export interface DataplaneObservation extends DataplaneAnswer {
  readonly address: string;
  /** Where the connection really went, when `--connect-to` redirected it. */
  readonly connectedTo?: string;
  /** The proxy the request went through, when the probe tried the client's proxied path. */
  readonly via?: string;
  /** The server certificate as seen in the handshake; `authorized` false means nothing was sent. */
  readonly tls?: {
    readonly authorized: boolean;
    readonly error?: string;
    readonly subject?: string;
    readonly issuer?: string;
  };
  /**
   * The authenticated read (path without query), when a token was sent; `readAt` when this run did not send it and
   * this is the site's last answer on the address, read then (PROBE_DATAPLANE_AUTH_PERIOD).
   */
  readonly authenticated?: DataplaneAnswer & { readonly path: string; readonly readAt?: string };
  readonly timings: {
    readonly connectMs?: number;
    readonly tlsMs?: number;
    readonly firstByteMs?: number;
    readonly totalMs: number;
  };
}

/** Whether the probe had a data-plane token for the authenticated read. */
export type DataplaneAuthState =
  | { readonly mode: 'off' }
  | { readonly mode: 'token'; readonly audience: string }
  | { readonly mode: 'unavailable'; readonly audience: string; readonly error: string };

/** A proxy variable that would carry traffic for the vault host. */
export interface ProxyObservation {
  readonly variable: string;
  readonly value: string;
  readonly noProxy: string | undefined;
}

export interface ObservedState {
  readonly host: string;
  readonly dns: ObservedDns;
  /** Empty when the data-plane step was skipped. */
  readonly dataplane: readonly DataplaneObservation[];
  readonly dataplaneSkipped: boolean;
  /** The authenticated read: off, done with a token, or not possible because no token could be obtained. */
  readonly dataplaneAuth?: DataplaneAuthState;
  /**
   * issue 21: the name resolved to more distinct addresses than are judged (MAX_JUDGED_ADDRESSES): the resolutions
   * above keep the first ones only; `total` counts them all, `sample` names a few of those left out.
   */
  readonly addressesLeftOut?: { readonly total: number; readonly judged: number; readonly sample: readonly string[] };
  /** Resolved addresses beyond the data-plane fan-out cap: resolved, not probed. */
  readonly dataplaneNotProbed?: readonly string[];
  readonly proxy: ProxyObservation | undefined;
  /** The VNet's custom DNS servers, each asked directly. */
  readonly customDns?: readonly CustomDnsAnswer[];
}
