/**
 * The engine's own data types. Adapters map Azure SDK and network results into these; checks read only these.
 */

export type {
  DnsErrorKind,
  DnsError,
  OsResolution,
  DnsResolution,
  ObservedDns,
  DataplaneAnswer,
  DataplaneObservation,
  DataplaneAuthState,
  ProxyObservation,
  ObservedState,
} from './observed';
import type { DnsError } from './observed';
import type { ConnectivityState } from './connectivity-records';
import type { PerimeterState, RouteTableState, SubnetRecord } from './network-records';
export type {
  SubnetRecord,
  RouteRecord,
  RouteTableRecord,
  RouteTableState,
  PerimeterAccessRule,
  PerimeterAssociation,
  PerimeterState,
} from './network-records';
export type {
  VirtualHubRecord,
  HubConnectionRecord,
  EffectiveConnectivityRecord,
  ReadOutcome,
  ConnectivityState,
  AvnmVnetState,
} from './connectivity-records';

/** What the user asked to probe: a vault by name (looked up in the subscriptions in scope) or by resource ID. */
export type VaultTarget =
  | {
      readonly kind: 'name';
      readonly name: string;
      /** The host it was given as, when that was the privatelink name. */ readonly configuredAs?: string;
    }
  | {
      readonly kind: 'id';
      readonly id: string;
      readonly subscriptionId: string;
      readonly resourceGroup: string;
      readonly name: string;
    };

/** A vault as ARM describes it, with the connections of its private endpoints. */
export interface VaultRecord {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /**
   * `<name>.<cloud suffix>`, lower-cased: made from the vault's name, never taken from an ARM payload (a vaultUri
   * could name any host). Empty when the name is no valid vault name.
   */
  readonly host: string;
  /** The host of `properties.vaultUri` (or `hsmUri`) when it is not `host`. */
  readonly uriHost?: string;
  /** `Enabled`, `Disabled`, or undefined when ARM does not say (treated as enabled by Key Vault). */
  readonly publicNetworkAccess: string | undefined;
  readonly connections: readonly VaultConnection[];
  /** `vault` for Key Vault, `managedHsm` for Managed HSM: the same engine serves both. */
  readonly kind?: 'vault' | 'managedHsm';
  /** The vault firewall (`properties.networkAcls`); undefined when ARM does not say (no firewall: Allow). */
  readonly networkAcls?: NetworkAclsRecord;
  /**
   * False when the source left `privateEndpointConnections` out (some list APIs do): the connections are then
   * unknown, not absent, and the vault must be read before it is skipped as endpoint-less.
   */
  readonly connectionsListed?: boolean;
  /** The resource's tags, as the list or read returned them; the site scope reads `kvprobe-sites` (site-scope.ts). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The vault firewall: what public network access lets through when it is enabled. */
export interface NetworkAclsRecord {
  /** `Allow` or `Deny`. */
  readonly defaultAction: string | undefined;
  readonly ipRules: readonly string[];
  /** Subnet IDs allowed through service endpoints. */
  readonly virtualNetworkRules: readonly string[];
}

/** One entry of the vault's `privateEndpointConnections[]`: the vault side of the link. */
export interface VaultConnection {
  readonly id: string;
  readonly privateEndpointId: string | undefined;
  /** `privateLinkServiceConnectionState.status`: Approved, Pending, Rejected, Disconnected. */
  readonly status: string | undefined;
  readonly provisioningState: string | undefined;
}

/** A private endpoint as ARM describes it: the network side of the link. */
export interface PrivateEndpointRecord {
  readonly id: string;
  readonly name: string;
  readonly provisioningState: string | undefined;
  readonly subnetId: string | undefined;
  readonly connections: readonly EndpointConnection[];
  readonly networkInterfaceIds: readonly string[];
  readonly customDnsConfigs: readonly { readonly fqdn: string; readonly ipAddresses: readonly string[] }[];
}

/** An entry of `privateLinkServiceConnections[]` (auto) or `manualPrivateLinkServiceConnections[]` (manual). */
export interface EndpointConnection {
  readonly name: string;
  readonly approval: 'auto' | 'manual';
  readonly privateLinkServiceId: string | undefined;
  readonly status: string | undefined;
  readonly provisioningState: string | undefined;
  readonly description: string | undefined;
}

/** A NIC of a private endpoint: its private IPs and the FQDNs each serves. */
export interface NetworkInterfaceRecord {
  readonly id: string;
  readonly ipConfigurations: readonly { readonly privateIpAddress: string; readonly fqdns: readonly string[] }[];
}

/** A `privatelink.vaultcore.<suffix>` (or managedhsm) private DNS zone: its VNet links and its A record sets. */
export interface PrivateDnsZoneRecord {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly links: readonly {
    readonly id: string;
    readonly name: string;
    readonly virtualNetworkId: string;
    readonly resolutionPolicy: string | undefined;
  }[];
  readonly aRecords: readonly {
    readonly id: string;
    readonly name: string;
    readonly ips: readonly string[];
    readonly ttl: number | undefined;
  }[];
  /** A record sets whose `aRecords` is no list: what they hold is unknown (none: every record set was read). */
  readonly unreadableRecords?: readonly { readonly id: string; readonly name: string }[];
}

/** A private endpoint's DNS zone group: the zones whose records Azure keeps in step with the endpoint. */
export interface ZoneGroupRecord {
  readonly id: string;
  readonly name: string;
  readonly zoneIds: readonly string[];
}

/** A VNet as ARM describes it: the DNS servers its clients use and the VNets it is peered with. */
export interface VirtualNetworkRecord {
  readonly id: string;
  /** The VNet's region (`location`), where ARM gave it: a regional AVNM mesh connects only VNets of one region. */
  readonly location?: string;
  readonly addressPrefixes: readonly string[];
  /** Empty: Azure-provided DNS (168.63.129.16). */
  readonly dnsServers: readonly string[];
  readonly peerings: readonly {
    readonly remoteVirtualNetworkId: string;
    readonly remoteAddressPrefixes: readonly string[];
    /** `peeringState`: only `Connected` peerings carry traffic; undefined is taken as connected. */
    readonly state?: string | undefined;
    /** The remote VNet's gateway routes this VNet's traffic onwards (hub transit): reachability beyond it is unknown. */
    readonly useRemoteGateways?: boolean;
  }[];
  /** issue 20: its subnets, as the VNet's GET embeds them; undefined where the source gave none (then unknown). */
  readonly subnets?: readonly SubnetRecord[];
}

/** A DNS forwarding ruleset linked to the probe's VNet: the domains it forwards, and to which servers. */
export interface ForwardingRulesetRecord {
  readonly id: string;
  readonly rules: readonly {
    readonly name: string;
    readonly domainName: string;
    readonly targets: readonly string[];
    readonly enabled: boolean;
  }[];
  /** The VNets the ruleset is linked to. */
  readonly linkedVnets: readonly string[];
  /** issue 20: the ruleset's VNet links (their IDs name the link to change), where the source gave them. */
  readonly links?: readonly { readonly id: string; readonly virtualNetworkId: string }[];
}

/** An inbound endpoint of a DNS Private Resolver: queries sent to its IP are resolved with its VNet's zone links. */
export interface InboundEndpointRecord {
  readonly id: string;
  readonly ips: readonly string[];
  /** The VNet of the resolver (and of the endpoint's subnet). */
  readonly virtualNetworkId: string;
}

/** Who holds a private IP, found among the private endpoint NICs in scope. */
export interface AddressOwner {
  readonly address: string;
  readonly privateEndpointId: string;
  readonly networkInterfaceId: string;
  /** The resources the endpoint connects to (privateLinkServiceId of its connections). */
  readonly targetResourceIds: readonly string[];
}

/**
 * The site: the VNet a probe runs in (or, in the estate map, any VNet judged like one), with what decides what it
 * reaches and how it resolves names. One value per vault and site, passed to the expectation and the checks; the
 * vault's own state (ExpectedState) holds no copy of it.
 */
export interface Site {
  /** PROBE_VNET_ID / --vnet, as given. */
  readonly vnetId: string;
  /** The VNet's record; undefined when it could not be read (the expectation is then assumed). */
  readonly vnet?: VirtualNetworkRecord;
  /** Forwarding rulesets linked to the VNet, when read. */
  readonly rulesets?: readonly ForwardingRulesetRecord[];
  /** Inbound endpoints of the DNS Private Resolvers those rulesets (or the VNet's DNS servers) send to, when read. */
  readonly inboundEndpoints?: readonly InboundEndpointRecord[];
  /**
   * issue 20: the rulesets linked to the VNets of those inbound endpoints: they process every query that arrives at an
   * endpoint there. Undefined when not read (an arrival is then answered by its VNet's zone links).
   */
  readonly resolverRulesets?: readonly ForwardingRulesetRecord[];
  /** Virtual WAN and AVNM connectivity around the VNet, where it was needed and read. */
  readonly connectivity?: ConnectivityState;
  /** issue 20: the probe's subnet, when PROBE_VNET_ID named one (`vnetId` is then its VNet). */
  readonly subnetId?: string;
  /** issue 20: the route tables of the probe's subnet (or of every subnet of its VNet, when no subnet was given). */
  readonly routeTables?: readonly RouteTableState[];
}

/** A failed ARM read, kept as data: the run goes on. */
export interface ArmReadError {
  readonly operation: string;
  readonly resourceId: string | undefined;
  readonly statusCode: number | undefined;
  readonly code: string | undefined;
  readonly message: string;
  /** issue 21: no credential gave a token: one line per credential tried (CREDENTIAL_UNAVAILABLE). */
  readonly tried?: readonly string[];
}

/** The expected state of one vault: the vault and, for each connection, the endpoint and its NICs. */
export interface ExpectedState {
  readonly vault: VaultRecord;
  readonly endpoints: readonly ExpectedEndpoint[];
  /** The private DNS zones that serve the vault's privatelink name: zone groups' zones and same-named zones in scope. */
  readonly zones?: readonly PrivateDnsZoneRecord[];
  /** Zones (IDs) and subscriptions (`/subscriptions/<id>`) whose zones could not be read: `zones` may lack records. */
  readonly unreadZones?: readonly string[];
  /** Owners of the private addresses the resolvers returned, where ARM shows them. */
  readonly addressOwners?: readonly AddressOwner[];
  /** issue 20: the vault's network security perimeter, read when its public access says SecuredByPerimeter. */
  readonly perimeter?: PerimeterState;
}

/** What one DNS server, asked directly, answered. */
export interface CustomDnsAnswer {
  readonly server: string;
  /** custom: a DNS server the VNet names; azure: Azure DNS, asked where the probe runs in Azure. */
  readonly kind?: 'custom' | 'azure';
  readonly addresses: readonly string[];
  readonly error?: DnsError;
}

export interface ExpectedEndpoint {
  readonly connection: VaultConnection;
  /** Undefined when the endpoint could not be read (see `error`) or the connection names none. */
  readonly endpoint: PrivateEndpointRecord | undefined;
  readonly networkInterfaces: readonly NetworkInterfaceRecord[];
  /** Undefined when not read (no reader, or the read failed); empty when the endpoint has none. */
  readonly zoneGroups?: readonly ZoneGroupRecord[];
  readonly errors: readonly ArmReadError[];
  /**
   * Why the endpoint is foreign: its read was denied with 401 or 403 (another tenant, a managed endpoint of another
   * service). A foreign endpoint is named, and left out of what this site expects. A read that timed out or answered
   * 429 or 5xx is not foreign wherever the endpoint lives: the endpoint stays the vault's, unknown.
   */
  readonly foreign?: 'denied';
}

export type Severity = 'error' | 'warning' | 'info';
export type VaultStatus = 'healthy' | 'unhealthy' | 'unknown';
