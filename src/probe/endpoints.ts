import type { ExpectedEndpoint, ExpectedState } from './types';

/** One private IP of one of the vault's endpoints, with the state that decides whether clients may use it. */
export interface EndpointAddress {
  readonly ip: string;
  readonly privateEndpointId: string | undefined;
  /** Vault-side `privateLinkServiceConnectionState.status`. */
  readonly connectionStatus: string | undefined;
  /** Worst of the vault-side connection's and the endpoint's provisioning states. */
  readonly provisioningState: string | undefined;
  readonly usable: boolean;
}

const SUCCEEDED = 'succeeded';
const APPROVED = 'approved';

function same(a: string | undefined, b: string): boolean {
  return (a ?? '').toLowerCase() === b;
}

/** True when both sides of the link are Approved and everything is provisioned Succeeded. */
export function isUsable(endpoint: ExpectedEndpoint): boolean {
  const { connection, endpoint: pe } = endpoint;
  if (!same(connection.status, APPROVED) || !same(connection.provisioningState, SUCCEEDED)) return false;
  // When the endpoint could not be read, the vault side is all we know: trust it rather than invent a failure.
  if (!pe) return true;
  if (!same(pe.provisioningState, SUCCEEDED)) return false;
  const peSide = pe.connections.filter((c) => c.status !== undefined);
  return peSide.length === 0 || peSide.some((c) => same(c.status, APPROVED));
}

function provisioningOf(endpoint: ExpectedEndpoint): string | undefined {
  const states = [endpoint.connection.provisioningState, endpoint.endpoint?.provisioningState].filter(
    (s): s is string => s !== undefined,
  );
  return states.find((s) => !same(s, SUCCEEDED)) ?? states[0];
}

/**
 * The private IPs of one endpoint that serve this host: the NIC ip configurations whose private-link FQDNs name
 * the host, else every NIC IP, else the endpoint's customDnsConfigs for the host.
 */
export function endpointIps(endpoint: ExpectedEndpoint, host: string): string[] {
  const configs = endpoint.networkInterfaces.flatMap((nic) => nic.ipConfigurations);
  const forHost = configs.filter((c) => c.fqdns.some((f) => f.toLowerCase() === host));
  const chosen = forHost.length > 0 ? forHost : configs.filter((c) => c.fqdns.length === 0);
  if (chosen.length > 0) return chosen.map((c) => c.privateIpAddress);
  const dns = endpoint.endpoint?.customDnsConfigs ?? [];
  return dns.filter((d) => d.fqdn.toLowerCase() === host).flatMap((d) => [...d.ipAddresses]);
}

/** The vault's own endpoints: those the probe could read or judge, foreign ones left out. */
export function ownEndpoints(expected: ExpectedState): readonly ExpectedEndpoint[] {
  return expected.endpoints.filter((e) => e.foreign === undefined);
}

/** Every known private IP of the vault's own endpoints, usable or not. */
export function endpointAddresses(expected: ExpectedState): EndpointAddress[] {
  return ownEndpoints(expected).flatMap((ep) =>
    endpointIps(ep, expected.vault.host).map((ip) => ({
      ip,
      privateEndpointId: ep.connection.privateEndpointId,
      connectionStatus: ep.connection.status,
      provisioningState: provisioningOf(ep),
      usable: isUsable(ep),
    })),
  );
}

/** The IPs clients should resolve the vault to. */
export function usableIps(expected: ExpectedState): string[] {
  return [
    ...new Set(
      endpointAddresses(expected)
        .filter((a) => a.usable)
        .map((a) => a.ip),
    ),
  ];
}

/**
 * True when a usable endpoint's IP could not be read: any private answer is then plausible, and checks that
 * compare addresses with the endpoints' must say nothing rather than guess.
 */
export function usableIpsUnknown(expected: ExpectedState): boolean {
  return ownEndpoints(expected).some((e) => isUsable(e) && endpointIps(e, expected.vault.host).length === 0);
}

/** The first label of a host, lower-cased: the vault name, and the record name in its privatelink zone. */
export function hostLabel(host: string): string {
  return (host.split('.')[0] ?? '').toLowerCase();
}

export function hasUsableEndpoint(expected: ExpectedState): boolean {
  return ownEndpoints(expected).some(isUsable);
}

/** Last segment of an ARM ID, for messages. */
export function resourceName(id: string | undefined): string {
  if (!id) return '(unknown)';
  const parts = id.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? id;
}
