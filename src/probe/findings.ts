import { cleanDeep, cleanText } from './sanitize';
import type { Severity } from './types';

/**
 * The facts each finding carries, by code. The codes are public interface: the JSON output, the telemetry and the
 * alert queries use them. Adding a code makes the compiler ask for its metadata below.
 */
export interface FindingDetails {
  DNS_PRIVATE_IP_MISMATCH: {
    address: string;
    expected: string[];
    belongsTo?: string;
    resolver: 'os' | 'dns';
    rule?: string;
    prefix?: string;
  };
  DNS_PUBLIC_IP: { address: string; expected: string[]; resolver: 'os' | 'dns'; rule?: string };
  DNS_NO_PRIVATELINK_CNAME: { cnames: string[]; expectedCname: string };
  DNS_NXDOMAIN: { resolver: 'os' | 'dns'; host: string };
  DNS_FAILURE: { resolver: 'os' | 'dns'; host: string; errorKind: string; errorCode: string };
  DNS_RESOLVERS_DISAGREE: { os: string[]; dns: string[]; servers: string[] };
  PE_CONNECTION_NOT_APPROVED: { privateEndpointId?: string; side: 'vault' | 'endpoint'; status: string };
  PE_NOT_PROVISIONED: {
    privateEndpointId?: string;
    side: 'vault' | 'endpoint' | 'endpoint-connection';
    provisioningState: string;
  };
  NO_PRIVATE_ENDPOINT: { publicNetworkAccess?: string };
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
  };
  PROXY_IN_PATH: { variable: string; proxy: string; noProxy?: string };
  ARM_READ_FAILED: { operation: string; resourceId?: string; statusCode?: number; armErrorCode?: string };
  ENDPOINT_READ_FAILED: { privateEndpointId: string; statusCode?: number; armErrorCode?: string };
  VAULT_NOT_FOUND: { vault: string; subscriptions: string[] };
  RUN_DEADLINE_EXCEEDED: { deadlineMs: number };
  ZONE_RECORD_STALE: { zone: string; record: string; address: string; belongsTo?: string };
  ZONE_RECORD_MISSING: { address: string; privateEndpointId?: string; zones: string[] };
  ZONE_NOT_LINKED: { zone: string; vnetId: string; linkedVnets: string[] };
  ZONE_GROUP_MISSING: { privateEndpointId: string };
  ENDPOINT_BELONGS_TO_OTHER_RESOURCE: { address: string; privateEndpointId: string; otherResourceIds: string[] };
  CUSTOM_DNS_NOT_FORWARDING: { server: string; answered: string[]; expected: string[]; error?: string };
  NXDOMAIN_SPLIT_BRAIN: { zone: string; vnetId?: string; linkId?: string };
  PRIVATELINK_HOST_IN_USE: { host: string; where: string };
  DATAPLANE_TLS_UNTRUSTED: { address: string; via?: string; error: string; subject?: string; issuer?: string };
  DATAPLANE_AUTH_UNAVAILABLE: { audience: string; error: string };
  DATAPLANE_TOKEN_REJECTED: {
    address: string;
    via?: string;
    status: number;
    audience?: string;
    errorCode?: string;
    serverMessage?: string;
  };
  DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE: {
    address: string;
    via?: string;
    privateEndpointId: string;
    otherResourceIds: string[];
    networkInfo: string;
  };
  DATAPLANE_ENDPOINT_NOT_PREFERRED: { address: string; via?: string; privateEndpointId: string; preferred: string[] };
  PROBE_STEP_FAILED: { stage: string; error: string };
  VAULT_URI_MISMATCH: { host: string; uriHost: string };
  DATAPLANE_FANOUT_CAPPED: { host: string; total: number; probed: string[]; notProbed: string[] };
  DNS_UNREACHED_ENDPOINT: { address: string; privateEndpointId?: string; expected: string[]; resolver: 'os' | 'dns' };
  VAULT_UNREACHABLE_BY_DESIGN: { publicAccess: string; vnetId: string; endpoints: string[] };
  FOREIGN_ENDPOINT: {
    privateEndpointId: string;
    reason: 'denied' | 'out-of-scope';
    statusCode?: number;
    armErrorCode?: string;
  };
}

/** Which data-plane request a finding comes from: the anonymous GET /healthstatus or the authenticated read. */
export type DataplaneRequest = 'healthstatus' | 'authenticated';

export type FindingCode = keyof FindingDetails;

interface FindingBase<C extends FindingCode> {
  readonly code: C;
  readonly severity: Severity;
  /** One sentence with the concrete values: which address, which endpoint, which state. */
  readonly message: string;
  readonly remediation: string;
  readonly details: FindingDetails[C];
  /** The ARM ID of the object to change (a record set, a zone, an endpoint, a VNet, the vault). */
  readonly resourceId?: string;
  /** An `az` command, with the real names filled in, that fixes or confirms it. */
  readonly command?: string;
}

/** A finding: a discriminated union on `code`. */
export type Finding = { [C in FindingCode]: FindingBase<C> }[FindingCode];

export interface FindingInfo {
  /** The severity used unless a check has a reason to lower it. */
  readonly severity: Severity;
  readonly title: string;
  /** The generic fix; checks may give a more concrete one. */
  readonly remediation: string;
  /** The routing category: which alert rule an error of this code reaches (see FINDING_CAUSES). */
  readonly cause: FindingCause;
}

/**
 * Routing categories, most upstream first. A vault's root cause in a run is the first of these among its error
 * findings: an unreadable inventory explains everything after it, an unapproved endpoint explains the DNS and data
 * plane errors that follow from it, a broken zone explains the resolver's wrong answer, and so on. Alerts select by
 * cause (src/telemetry/alert-rules.ts routes each cause to exactly one rule); adding a cause here makes the compiler
 * ask for its route there.
 *
 * - inventory: the expected state could not be read (ARM permissions, scope, vault not found).
 * - probe: the probe itself could not finish (run deadline).
 * - endpoint: the private endpoint or its connection (approval, provisioning, none at all).
 * - zone: the private DNS zone and its links (stale or missing records, unlinked zone, NXDOMAIN split brain).
 * - dns: what the resolvers clients use answer (wrong IP, public IP, no CNAME, failures, custom DNS servers).
 * - dataplane: the HTTPS connection to the vault (403s, unreachable, arrived publicly).
 * - client: client-side settings that bypass private link (proxy, privatelink host name).
 */
export const FINDING_CAUSES = ['inventory', 'probe', 'endpoint', 'zone', 'dns', 'dataplane', 'client'] as const;
export type FindingCause = (typeof FINDING_CAUSES)[number];

export const FINDINGS: Readonly<Record<FindingCode, FindingInfo>> = {
  DNS_PRIVATE_IP_MISMATCH: {
    severity: 'error',
    cause: 'dns',
    title: 'The vault resolves to a private IP that is not its approved private endpoint',
    remediation:
      'Point the A record in the privatelink.vaultcore zone at the NIC IP of the approved private endpoint (or let a private DNS zone group manage it), and remove stale records and hosts-file entries.',
  },
  DNS_PUBLIC_IP: {
    severity: 'error',
    cause: 'dns',
    title: 'The vault resolves to a public IP although it has an approved private endpoint',
    remediation:
      'Link the privatelink.vaultcore private DNS zone to this VNet (or the VNet of its DNS resolver), or add a conditional forwarder for vault.azure.net to 168.63.129.16 on the custom DNS server.',
  },
  DNS_NO_PRIVATELINK_CNAME: {
    severity: 'error',
    cause: 'dns',
    title: 'The CNAME chain does not pass through the privatelink zone',
    remediation:
      'Resolve through Azure DNS (168.63.129.16) or a forwarder to it; a static record or a third-party DNS answer for <vault>.vault.azure.net bypasses private link.',
  },
  DNS_NXDOMAIN: {
    severity: 'error',
    cause: 'dns',
    title: 'The vault name does not resolve',
    remediation:
      'Check that the privatelink zone linked to this VNet holds an A record for the vault; a linked zone without the record answers NXDOMAIN unless the link falls back to the internet.',
  },
  DNS_FAILURE: {
    severity: 'error',
    cause: 'dns',
    title: 'DNS resolution failed',
    remediation: 'Check that the DNS servers this VNet uses are reachable and forward Azure names to 168.63.129.16.',
  },
  DNS_RESOLVERS_DISAGREE: {
    severity: 'warning',
    cause: 'dns',
    title: 'The OS resolver and DNS disagree',
    remediation:
      'Look for a hosts-file entry, a local DNS cache or split DNS: clients using getaddrinfo see a different address from the DNS server.',
  },
  PE_CONNECTION_NOT_APPROVED: {
    severity: 'error',
    cause: 'endpoint',
    title: 'A private endpoint connection is not approved',
    remediation:
      'Approve the connection on the vault (az keyvault private-endpoint-connection approve), or re-create a rejected or disconnected endpoint.',
  },
  PE_NOT_PROVISIONED: {
    severity: 'error',
    cause: 'endpoint',
    title: 'A private endpoint or its connection is not provisioned',
    remediation:
      'Inspect the endpoint in the portal or with az network private-endpoint show; re-create it if it stays Failed.',
  },
  NO_PRIVATE_ENDPOINT: {
    severity: 'warning',
    cause: 'endpoint',
    title: 'The vault has no private endpoint connection',
    remediation:
      "Create a private endpoint for the vault in the clients' VNet, with a DNS zone group for privatelink.vaultcore.",
  },
  DATAPLANE_TCP_CONNECTION_FORBIDDEN: {
    severity: 'error',
    cause: 'dataplane',
    title: 'Key Vault answered 403 "This TCP connection does not allow access"',
    remediation:
      "The connection reached an endpoint that does not serve this vault: fix DNS so the name resolves to this vault's private endpoint, and make sure no proxy or client rewrites the Host header or SNI.",
  },
  DATAPLANE_FORBIDDEN: {
    severity: 'error',
    cause: 'dataplane',
    title: 'Key Vault refused the connection (403)',
    remediation:
      'ForbiddenByConnection: public network access is disabled and the connection did not arrive over private link. ForbiddenByFirewall: add the network to the vault firewall or use the private endpoint.',
  },
  DATAPLANE_UNREACHABLE: {
    severity: 'error',
    cause: 'dataplane',
    title: 'The vault endpoint could not be reached',
    remediation: 'Check NSGs, route tables and firewalls between this subnet and the endpoint IP on TCP 443.',
  },
  DATAPLANE_NOT_PRIVATE: {
    severity: 'error',
    cause: 'dataplane',
    title: 'The vault saw the connection arrive over the public network',
    remediation:
      'The request did not travel over private link: fix DNS so the vault resolves to its private endpoint, and check for forced tunnelling through a public egress.',
  },
  PROXY_IN_PATH: {
    severity: 'warning',
    cause: 'client',
    title: 'A proxy would carry traffic to the vault',
    remediation:
      'Add the vault hostname (or .vault.azure.net and .vaultcore.azure.net) to NO_PROXY so clients connect to the private endpoint directly.',
  },
  ARM_READ_FAILED: {
    severity: 'error',
    cause: 'inventory',
    title: 'The expected state could not be read from ARM',
    remediation:
      'Grant the probe identity Microsoft.KeyVault/vaults/read, Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read, and check the subscription and vault names.',
  },
  ENDPOINT_READ_FAILED: {
    severity: 'warning',
    cause: 'inventory',
    title: 'A private endpoint or its NIC could not be read',
    remediation:
      "Grant Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read on the endpoint's subscription; without them the endpoint's IP is taken from its connection only.",
  },
  VAULT_NOT_FOUND: {
    severity: 'error',
    cause: 'inventory',
    title: 'The vault was not found in the subscriptions in scope',
    remediation:
      'Check the vault name and the subscriptions given (--subscription / PROBE_SUBSCRIPTIONS), and that the probe identity can read vaults there.',
  },
  RUN_DEADLINE_EXCEEDED: {
    severity: 'error',
    cause: 'probe',
    title: 'The run ended before this vault was probed',
    remediation:
      'Raise PROBE_RUN_DEADLINE_MS (keeping it below the function timeout), raise PROBE_CONCURRENCY, or split the vaults over more probes; check for slow DNS or ARM.',
  },
  ZONE_RECORD_STALE: {
    severity: 'error',
    cause: 'zone',
    title: 'A private DNS zone holds an A record for the vault that points at no endpoint of it',
    remediation:
      "Remove the stale address from the record set (or delete the record and let the endpoint's DNS zone group re-create it).",
  },
  ZONE_RECORD_MISSING: {
    severity: 'error',
    cause: 'zone',
    title: 'An approved private endpoint has no A record in any privatelink zone',
    remediation: 'Add a DNS zone group to the endpoint for the privatelink zone, or add the A record by hand.',
  },
  ZONE_NOT_LINKED: {
    severity: 'error',
    cause: 'zone',
    title: 'The zone with the right record is not linked to the VNet the probe runs in',
    remediation: 'Link the zone to this VNet, or to the VNet whose DNS servers this VNet uses.',
  },
  ZONE_GROUP_MISSING: {
    severity: 'warning',
    cause: 'zone',
    title: 'The private endpoint has no DNS zone group',
    remediation: 'Create a DNS zone group on the endpoint so Azure keeps the A record in step with the NIC IP.',
  },
  ENDPOINT_BELONGS_TO_OTHER_RESOURCE: {
    severity: 'error',
    cause: 'dns',
    title: 'The resolved private IP is the endpoint of another resource',
    remediation:
      "Point the vault's A record at its own endpoint's NIC IP; the other resource's endpoint answers 403 for this vault.",
  },
  CUSTOM_DNS_NOT_FORWARDING: {
    severity: 'error',
    cause: 'dns',
    title: 'A custom DNS server of the VNet answers differently from the private zone',
    remediation:
      'Add a conditional forwarder for vault.azure.net (not only vaultcore.azure.net) to 168.63.129.16, from a server in a VNet linked to the zone.',
  },
  NXDOMAIN_SPLIT_BRAIN: {
    severity: 'error',
    cause: 'zone',
    title: "A linked privatelink zone without the vault's record answers NXDOMAIN",
    remediation:
      "Add the record, or set the zone link's resolution policy to NxDomainRedirect so names the zone lacks fall back to public resolution.",
  },
  PRIVATELINK_HOST_IN_USE: {
    severity: 'warning',
    cause: 'client',
    title: 'The privatelink name is used directly',
    remediation:
      'Use https://<vault>.vault.azure.net/: Key Vault serves its certificate and its Host check for that name, not for the privatelink one.',
  },
  DATAPLANE_TLS_UNTRUSTED: {
    severity: 'error',
    cause: 'dataplane',
    title: "The certificate on the vault's address failed verification",
    remediation:
      'Something other than Key Vault answers on this path: a TLS-inspecting proxy or firewall (exempt the vault host from inspection, or trust its CA only where that is policy) or a wrong endpoint behind the resolved address (fix DNS). Clients that verify certificates fail here before Key Vault sees them.',
  },
  DATAPLANE_AUTH_UNAVAILABLE: {
    severity: 'warning',
    cause: 'probe',
    title: 'No data-plane token: the 403 could not be reproduced',
    remediation:
      'Let the probe identity get a token for the vault audience (managed identity in Azure; az login elsewhere; or KVPROBE_DATAPLANE_TOKEN). No data-plane role is needed. Or set PROBE_DATAPLANE_AUTH=off to rely on /healthstatus alone.',
  },
  DATAPLANE_TOKEN_REJECTED: {
    severity: 'warning',
    cause: 'probe',
    title: "Key Vault rejected the probe's data-plane token (401)",
    remediation:
      "The token is for another audience or another tenant than the vault: check AZURE_CLIENT_ID / KVPROBE_DATAPLANE_TOKEN and that the identity lives in the vault's tenant. The network verdict of this address is unknown until a token is accepted.",
  },
  DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE: {
    severity: 'error',
    cause: 'dataplane',
    title: 'The connection arrived through a private endpoint of another resource',
    remediation:
      'Key Vault refuses this vault\'s calls there with 403 "This TCP connection does not allow access". Point the vault name at the NIC IP of its own approved endpoint (fix the A record, the hosts file, or the route that lands here).',
  },
  DATAPLANE_ENDPOINT_NOT_PREFERRED: {
    severity: 'warning',
    cause: 'dns',
    title: "The connection arrived through another of the vault's endpoints than the one this site should use",
    remediation:
      "Calls work, but travel to an endpoint in another VNet (often another region) instead of the one here: point this VNet's DNS at the local endpoint's IP, e.g. a privatelink zone linked to this VNet with the local record.",
  },
  PROBE_STEP_FAILED: {
    severity: 'warning',
    cause: 'probe',
    title: 'The probe failed on this vault',
    remediation:
      "This is a defect in kvprobe or an ARM payload it cannot read: report it with the message and the vault's ARM JSON (az keyvault show --ids <id>). The other vaults were probed normally.",
  },
  VAULT_URI_MISMATCH: {
    severity: 'warning',
    cause: 'probe',
    title: 'ARM names another host for the vault',
    remediation:
      'Compare properties.vaultUri with https://<vault>.<cloud suffix>/; a proxy or gateway rewriting ARM answers, or a wrong --cloud, explains a difference. Clients should use the name-based host.',
  },
  DATAPLANE_FANOUT_CAPPED: {
    severity: 'warning',
    cause: 'dns',
    title: 'The name resolves to more addresses than are probed',
    remediation:
      'A Key Vault name resolves to one address per private endpoint in reach; dozens of addresses mean a wrong or hostile DNS answer: find which zone or server returns them.',
  },
  DNS_UNREACHED_ENDPOINT: {
    severity: 'warning',
    cause: 'dns',
    title: 'The vault resolves to one of its own endpoints that this VNet does not reach',
    remediation:
      "Resolve the vault here to the endpoint in this VNet or a peered one: link this VNet to the zone holding that endpoint's record (not another region's), or create an endpoint this VNet reaches.",
  },
  VAULT_UNREACHABLE_BY_DESIGN: {
    severity: 'warning',
    cause: 'endpoint',
    title: 'This VNet cannot use the vault: no endpoint it reaches, and public access keeps it out',
    remediation:
      'If clients here need the vault, create a private endpoint in this VNet (or a peered hub) with a DNS zone group; otherwise leave it: the probe reports it once, as a warning.',
  },
  FOREIGN_ENDPOINT: {
    severity: 'info',
    cause: 'probe',
    title: 'A private endpoint of the vault belongs to another tenant, service or scope',
    remediation:
      "Nothing to fix when the endpoint is another tenant's or a managed endpoint (Data Factory, Synapse, AI Search): the probe leaves it out of what this VNet expects. To judge it too, give the probe identity Reader on its subscription.",
  },
};

export const FINDING_CODES = Object.keys(FINDINGS) as FindingCode[];

/** A finding's message may quote a few server strings of up to 500 characters each. */
export const FINDING_MESSAGE_MAX = 1500;
const FINDING_COMMAND_MAX = 4000;

/** Builds a finding, taking severity and remediation from the table unless given. */
export function finding<C extends FindingCode>(
  code: C,
  message: string,
  details: FindingDetails[C],
  overrides: {
    severity?: Severity;
    remediation?: string;
    resourceId?: string | undefined;
    command?: string | undefined;
  } = {},
): FindingBase<C> {
  const info = FINDINGS[code];
  // Messages and details quote servers (ARM errors, Key Vault's 403, DNS answers, proxy URLs): cleaned here, once,
  // so no output (table, JSON, telemetry, function log, HTTP body) sees control characters or credentials.
  return {
    code,
    severity: overrides.severity ?? info.severity,
    message: cleanText(message, FINDING_MESSAGE_MAX),
    remediation: cleanText(overrides.remediation ?? info.remediation, FINDING_MESSAGE_MAX),
    details: cleanDeep(details),
    ...(overrides.resourceId ? { resourceId: cleanText(overrides.resourceId, FINDING_MESSAGE_MAX) } : {}),
    ...(overrides.command ? { command: cleanText(overrides.command, FINDING_COMMAND_MAX) } : {}),
  };
}
