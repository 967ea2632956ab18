import type { AuthenticatedRead } from './dataplane-auth';
import type { CustomDnsAnswer, DataplaneObservation, DnsResolution, OsResolution, ProxyObservation } from './types';

/**
 * How the probe looks at the network from where it runs. Implementations never throw: a failure is part of the
 * observation.
 */
export interface Observer {
  resolveOs(host: string, signal: AbortSignal): Promise<OsResolution>;
  resolveDns(host: string, signal: AbortSignal): Promise<DnsResolution>;
  /** TLS (verified), GET /healthstatus and, given `auth`, the authenticated read, on one resolved address. */
  probeDataplane(
    host: string,
    address: string,
    signal: AbortSignal,
    auth?: AuthenticatedRead,
  ): Promise<DataplaneObservation>;
  proxyFor(host: string): ProxyObservation | undefined;
  /** GET /healthstatus through the proxy clients here would use (CONNECT tunnel, vault SNI inside). */
  probeDataplaneViaProxy?(
    host: string,
    proxy: string,
    signal: AbortSignal,
    auth?: AuthenticatedRead,
  ): Promise<DataplaneObservation>;
  /** A records of `host` from one given server, asked directly (a VNet's custom DNS server). */
  resolveVia?(host: string, server: string, signal: AbortSignal): Promise<CustomDnsAnswer>;
}
