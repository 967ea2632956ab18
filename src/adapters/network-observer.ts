import type { ConnectToRule } from '../probe/connect-to';
import type { Observer } from '../probe/observer';
import { proxyForHost } from '../probe/proxy-env';
import type {
  CustomDnsAnswer,
  DataplaneObservation,
  DnsResolution,
  OsResolution,
  ProxyObservation,
} from '../probe/types';
import type { AuthenticatedRead } from '../probe/dataplane-auth';
import { probeDataplaneAt } from './dataplane';
import { probeDataplaneViaProxy } from './dataplane-proxy';
import { createResolver, resolveVia, resolveWithDns, resolveWithOs } from './dns';

export interface NetworkObserverOptions {
  /** `ip[:port]` of the servers the explicit resolver asks; empty: the system's. */
  readonly dnsServers: readonly string[];
  readonly connectTo: readonly ConnectToRule[];
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Observes from the machine it runs on: the OS resolver, DNS, TLS to the data plane, the proxy environment. */
export class NetworkObserver implements Observer {
  private readonly resolver;

  constructor(private readonly options: NetworkObserverOptions) {
    this.resolver = createResolver(options.dnsServers, options.timeoutMs);
  }

  resolveOs(host: string, signal: AbortSignal): Promise<OsResolution> {
    return resolveWithOs(host, signal, this.options.timeoutMs);
  }

  resolveDns(host: string, signal: AbortSignal): Promise<DnsResolution> {
    return resolveWithDns(host, this.resolver, signal, this.options.timeoutMs);
  }

  probeDataplane(
    host: string,
    address: string,
    signal: AbortSignal,
    auth?: AuthenticatedRead,
  ): Promise<DataplaneObservation> {
    return probeDataplaneAt(host, address, this.options.connectTo, signal, auth);
  }

  private readonly viaResolvers = new Map<string, ReturnType<typeof createResolver>>();

  resolveVia(host: string, server: string, signal: AbortSignal): Promise<CustomDnsAnswer> {
    let r = this.viaResolvers.get(server);
    if (!r) {
      r = createResolver([server], this.options.timeoutMs);
      this.viaResolvers.set(server, r);
    }
    return resolveVia(host, server, r, signal, this.options.timeoutMs);
  }

  probeDataplaneViaProxy(
    host: string,
    proxy: string,
    signal: AbortSignal,
    auth?: AuthenticatedRead,
  ): Promise<DataplaneObservation> {
    return probeDataplaneViaProxy(host, proxy, signal, auth);
  }

  proxyFor(host: string): ProxyObservation | undefined {
    return proxyForHost(host, this.options.env);
  }
}
