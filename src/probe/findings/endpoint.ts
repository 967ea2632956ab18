import type { CauseTable } from './info';

// Cause `endpoint`: the private endpoint or its connection (approval, provisioning, none at all, none this VNet
// reaches). A code of this cause is declared here and nowhere else in src/: its details below and its row in the table
// (the compiler asks for both, and for the row's cause).

/** The facts each finding of cause `endpoint` carries, by code. */
export interface EndpointFindingDetails {
  PE_CONNECTION_NOT_APPROVED: {
    privateEndpointId?: string;
    side: 'vault' | 'endpoint';
    status: string;
    /** issue 20: no connection of the vault is Approved: no privatelink CNAME, every client takes the public path. */
    noApprovedConnection?: boolean;
  };
  PE_NOT_PROVISIONED: {
    privateEndpointId?: string;
    side: 'vault' | 'endpoint' | 'endpoint-connection';
    provisioningState: string;
  };
  NO_PRIVATE_ENDPOINT: { publicNetworkAccess?: string };
  CONNECTION_REQUEST_PENDING: {
    privateEndpointId: string;
    connectionId: string;
    /** The requesting endpoint's subscription, from its ID. */
    subscriptionId?: string;
    /** Why the probe cannot read it: another tenant or service (denied), outside the scope, or its read failed. */
    reason: 'denied' | 'unreadable';
    statusCode?: number;
  };
  VAULT_UNREACHABLE_BY_DESIGN: {
    publicAccess: string;
    vnetId: string;
    endpoints: string[];
    /** issue 20: the routes with next hop None that drop this site's traffic to the vault's endpoints. */
    routes?: string[];
  };
}

export const ENDPOINT_FINDINGS: CauseTable<EndpointFindingDetails, 'endpoint'> = {
  PE_CONNECTION_NOT_APPROVED: {
    severity: 'error',
    cause: 'endpoint',
    title: 'A private endpoint connection is not approved',
    when: 'a connection is Pending, Rejected or Disconnected, vault side or endpoint side',
    severityNote: 'warning if another endpoint serves the vault',
    remediation:
      'Approve the connection on the vault (az keyvault private-endpoint-connection approve), or re-create a rejected or disconnected endpoint.',
  },
  PE_NOT_PROVISIONED: {
    severity: 'error',
    cause: 'endpoint',
    title: 'A private endpoint or its connection is not provisioned',
    when: "the connection's or the endpoint's provisioning state is not Succeeded",
    severityNote: 'warning if another endpoint serves the vault',
    remediation:
      'Inspect the endpoint in the portal or with az network private-endpoint show; re-create it if it stays Failed.',
  },
  CONNECTION_REQUEST_PENDING: {
    severity: 'info',
    cause: 'endpoint',
    title: 'A connection request the vault owner has not reviewed, from an endpoint the probe cannot read',
    when: "a Pending connection's endpoint is another tenant's, out of scope or unreadable: named with its subscription; never approved by the probe, never unhealthy",
    remediation:
      "Anyone who knows the vault's resource ID can request a private endpoint connection. Find out who owns the requesting endpoint (its subscription and tenant) before you approve or reject it; approve only a requester you know, since approval opens a private path into the vault.",
  },
  NO_PRIVATE_ENDPOINT: {
    severity: 'warning',
    cause: 'endpoint',
    title: 'The vault has no private endpoint connection',
    when: 'the vault has no private endpoint connection',
    severityNote: 'error with public access disabled',
    remediation:
      "Create a private endpoint for the vault in the clients' VNet, with a DNS zone group for privatelink.vaultcore.",
  },
  VAULT_UNREACHABLE_BY_DESIGN: {
    severity: 'warning',
    cause: 'endpoint',
    title: 'This VNet cannot use the vault: no endpoint it reaches, and public access keeps it out',
    when: 'no endpoint reachable from this VNet and public access disabled (or the firewall keeps this VNet out): one warning, no DNS or data-plane cascade',
    remediation:
      'If clients here need the vault, create a private endpoint in this VNet (or a peered hub) with a DNS zone group; otherwise leave it: the probe reports it once, as a warning.',
  },
};
