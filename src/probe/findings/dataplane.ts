import type { CauseTable } from './info';

// Cause `dataplane`: the HTTPS connection to the vault (403s, unreachable, arrived publicly, untrusted certificate). A
// code of this cause is declared here and nowhere else in src/: its details below and its row in the table (the
// compiler asks for both, and for the row's cause).

/** Which data-plane request a finding comes from: the anonymous GET /healthstatus or the authenticated read. */
export type DataplaneRequest = 'healthstatus' | 'authenticated';

/** The facts each finding of cause `dataplane` carries, by code. */
export interface DataplaneFindingDetails {
  DATAPLANE_TCP_CONNECTION_FORBIDDEN: {
    address: string;
    status: number;
    request: DataplaneRequest;
    via?: string;
    innerErrorCode?: string;
    serverMessage?: string;
    /** The endpoint the connection arrived through, from the network header, and the resources it serves. */
    privateEndpointId?: string;
    otherResourceIds?: string[];
  };
  DATAPLANE_FORBIDDEN: {
    address: string;
    status: number;
    request: DataplaneRequest;
    via?: string;
    errorCode?: string;
    innerErrorCode?: string;
    serverMessage?: string;
    connType?: string;
    clientAddress?: string;
  };
  DATAPLANE_UNREACHABLE: { address: string; phase: string; errorCode: string; via?: string };
  DATAPLANE_NOT_PRIVATE: {
    address: string;
    /** What decided: `conn_type`, the address rule of the caller's address (rfc1918, public, …), or `no-header`. */
    rule: string;
    via?: string;
    networkInfo?: string;
    clientAddress?: string;
    connType?: string;
    /** issue 20: the subnet of a `conn_type=Subnet` arrival, or whose service endpoint makes the arrival ambiguous. */
    subnet?: string;
  };
  DATAPLANE_TLS_UNTRUSTED: { address: string; via?: string; error: string; subject?: string; issuer?: string };
  DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE: {
    address: string;
    via?: string;
    privateEndpointId: string;
    otherResourceIds: string[];
    networkInfo: string;
  };
}

export const DATAPLANE_FINDINGS: CauseTable<DataplaneFindingDetails, 'dataplane'> = {
  DATAPLANE_TCP_CONNECTION_FORBIDDEN: {
    severity: 'error',
    cause: 'dataplane',
    title: 'Key Vault answered 403 "This TCP connection does not allow access"',
    when: 'the vault answered 403 "This TCP connection does not allow access"',
    remediation:
      "The connection reached an endpoint that does not serve this vault: fix DNS so the name resolves to this vault's private endpoint, and make sure no proxy or client rewrites the Host header or SNI.",
  },
  DATAPLANE_FORBIDDEN: {
    severity: 'error',
    cause: 'dataplane',
    title: 'Key Vault refused the connection (403)',
    when: 'another 403 (`ForbiddenByConnection`, `ForbiddenByFirewall`), inner code kept',
    remediation:
      'ForbiddenByConnection: public network access is disabled and the connection did not arrive over private link. ForbiddenByFirewall: add the network to the vault firewall or use the private endpoint.',
  },
  DATAPLANE_UNREACHABLE: {
    severity: 'error',
    cause: 'dataplane',
    title: 'The vault endpoint could not be reached',
    when: 'connect, TLS or timeout failure, or a non-2xx answer, on a resolved address',
    remediation: 'Check NSGs, route tables and firewalls between this subnet and the endpoint IP on TCP 443.',
  },
  DATAPLANE_NOT_PRIVATE: {
    severity: 'error',
    cause: 'dataplane',
    title: 'The vault saw the connection arrive over the public network',
    when: '`/healthstatus` answered but `x-ms-keyvault-network-info` shows a public client, or is missing',
    remediation:
      'The request did not travel over private link: fix DNS so the vault resolves to its private endpoint, and check for forced tunnelling through a public egress.',
  },
  DATAPLANE_TLS_UNTRUSTED: {
    severity: 'error',
    cause: 'dataplane',
    title: "The certificate on the vault's address failed verification",
    when: 'the certificate on a resolved address (or through the proxy) fails verification: subject and issuer named, nothing sent',
    remediation:
      'Something other than Key Vault answers on this path: a TLS-inspecting proxy or firewall (exempt the vault host from inspection, or trust its CA only where that is policy) or a wrong endpoint behind the resolved address (fix DNS). Clients that verify certificates fail here before Key Vault sees them.',
  },
  DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE: {
    severity: 'error',
    cause: 'dataplane',
    title: 'The connection arrived through a private endpoint of another resource',
    when: 'the network header names a private endpoint of another resource: the 403 predicted without a token',
    remediation:
      'Key Vault refuses this vault\'s calls there with 403 "This TCP connection does not allow access". Point the vault name at the NIC IP of its own approved endpoint (fix the A record, the hosts file, or the route that lands here).',
  },
};
