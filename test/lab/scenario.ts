import { AZURE_DNS } from '../../src/probe/clouds';
import type { FindingCode } from '../../src/probe/findings';
import type { Severity, VaultStatus } from '../../src/probe/types';
import type { ArmResource } from './arm-emulator';
import type { DataplaneEndpoint, DataplaneVault, NetworkInfoForm } from './dataplane-emulator';
import type { ProxyMode } from './proxy';
import { LAB_TENANT } from './tokens';
import type { DnsBehaviour } from './dns-server';
import type { SinkOutageStep } from './ingestion-sink';
import { connectivityResources, hubPeerings, vnetLocation, type ScenarioConnectivity } from './scenario-connectivity';
import {
  networkResources,
  probeSubnets,
  routeTableId,
  serviceEndpointSubnet,
  subnetRuleId,
  type ScenarioPerimeter,
  type ScenarioSubnet,
} from './scenario-network';
import { estateResources, type EstateTopology } from './scenario-estate';

/**
 * A declarative lab scenario: what ARM holds, what DNS answers, what the data plane does, what breaks, and what
 * the probe must report. Addresses are private ranges and documentation ranges (TEST-NET); the lab only ever puts
 * them on a network namespace it created, or maps them onto loopback with --connect-to.
 */
export interface Scenario {
  readonly name: string;
  /** One line of plain text: what it reproduces (`npm run demo -- --list` prints it, the README's lab table shows it). */
  readonly description: string;
  readonly subscriptions?: readonly string[];
  readonly vaults: readonly ScenarioVault[];
  /** Extra or overriding DNS answers, by name. */
  readonly dns?: Readonly<Record<string, DnsBehaviour>>;
  /** Lines added to the namespace's /etc/hosts: address → names. */
  readonly hosts?: Readonly<Record<string, readonly string[]>>;
  /** Environment of the probe (proxy variables). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * An HTTP proxy the probe's environment names (HTTPS_PROXY, with NO_PROXY covering only the lab's own ARM and
   * ingestion): `tunnel` passes TLS through, `rewrite-host` inspects it and rewrites the Host to the privatelink name,
   * `inspect-untrusted` inspects it with a CA the probe does not trust.
   */
  readonly proxy?: { readonly mode: ProxyMode; readonly address: string; readonly port?: number };
  /** The managed identity endpoint refuses tokens for these audiences (e.g. https://vault.azure.net). */
  readonly identity?: { readonly refuse?: readonly string[] };
  /**
   * Azure DNS in the namespace (its real virtual address, on the namespace's loopback), answering from the zones'
   * records, and the probe told to ask it (PROBE_AZURE_DNS=on / --azure-dns). Namespace mode only.
   */
  readonly azureDns?: boolean;
  readonly faults?: ScenarioFaults;
  /**
   * The VNet the probe runs in (--vnet / PROBE_VNET_ID): its custom DNS servers, and where the privatelink zone is
   * linked. Without it the probe is not told where it stands, as before PROBE_VNET_ID was set.
   */
  readonly probeVnet?: {
    readonly dnsServers?: readonly { readonly address: string; readonly answers: 'private' | 'public' }[];
    /** Whether the zone is linked to the probe's VNet; default true. */
    readonly zoneLinked?: boolean;
    /** issue 10: the resource groups of the zones linked to the probe's VNet; default every zone (when zoneLinked). */
    readonly linkedZones?: readonly string[];
    /** issue 10: the probe VNet's address space; default 10.0.0.0/8. */
    readonly addressPrefixes?: readonly string[];
    /** issue 10: VNets peered with the probe's (a hub), by name, with their address space. */
    readonly peers?: readonly { readonly name: string; readonly addressPrefixes: readonly string[] }[];
    /** issue 10: other VNets (by name) every zone is linked to, such as the hub. */
    readonly zoneLinkedTo?: readonly string[];
    /**
     * issue 10: a DNS Private Resolver in VNet `vnet` with an inbound endpoint at `inboundIp`, and a forwarding
     * ruleset linked to the probe's VNet that forwards `domain` (default vault.azure.net.) to it.
     */
    readonly privateResolver?: {
      readonly vnet: string;
      readonly inboundIp: string;
      readonly domain?: string;
      /** issue 20: the ruleset's rules instead of the one `domain` rule: each domain and its target server. */
      readonly rules?: readonly { readonly domain: string; readonly target: string }[];
      /** issue 20: the ruleset is also linked to the resolver's own VNet (with a rule to its inbound endpoint: a loop). */
      readonly hubLinked?: boolean;
      /** issue 20: a second ruleset, `ruleset-hub`, linked to the resolver's VNet only, with these rules. */
      readonly hubRules?: readonly { readonly domain: string; readonly target: string }[];
    };
    /** issue 20: the resolution policy of the zone links to the probe's VNet; default `Default`. */
    readonly resolutionPolicy?: 'Default' | 'NxDomainRedirect';
    /**
     * issue 20: the probe VNet's subnets (scenario-network.ts); the first is the probe's own. Default one subnet
     * `apps`, no service endpoint, no route table.
     */
    readonly subnets?: readonly ScenarioSubnet[];
    /** issue 20: --vnet / PROBE_VNET_ID name the probe's subnet (as the infra sets it), not only the VNet. */
    readonly passSubnet?: boolean;
  };
  /** issue 10: the namespace's resolv.conf: search domains and ndots (namespace mode). */
  readonly resolvConf?: { readonly search?: readonly string[]; readonly ndots?: number };
  /** issue 10: Azure DNS in the namespace never answers (PROBE_AZURE_DNS on): the first timeout stops it. */
  readonly azureDnsSilent?: boolean;
  /** issue 10: for `npm run demo -- --list`: the healthy topology this scenario is, or the one it is the broken twin of. */
  readonly topology?: { readonly name: string; readonly twin?: boolean };
  /** issue 10: Virtual WAN hubs and AVNM connectivity configurations, and the VNets they connect (scenario-connectivity.ts). */
  readonly connectivity?: ScenarioConnectivity;
  /** issue 25: the estate's other VNets, ruleset links and firewalls (scenario-estate.ts). */
  readonly estate?: EstateTopology;
  /** Vault names to pass as --vault / PROBE_VAULTS; default: the subscription scan. */
  readonly targets?: readonly string[];
  readonly timeoutMs?: number;
  /** The run's deadline (--deadline / PROBE_RUN_DEADLINE_MS). */
  readonly deadlineMs?: number;
  /** Delay of every DNS answer. */
  readonly dnsLatencyMs?: number;
  /** What the probe must report, by vault name (or subscription ID for an unreadable subscription). */
  readonly expect: Readonly<Record<string, ScenarioExpectation>>;
  /** Vaults the subscription scan must skip (no private endpoint connection). */
  readonly expectSkipped?: number;
  /** How long the timer's runner waits after the run for telemetry the SDK re-sends (ingestionOutage only). */
  readonly deliveryWaitMs?: number;
  /**
   * issue 21: neither entry point has a credential (its `env` takes them away): no identity is asked, no ARM call is
   * made. The harness then skips its identity assertions.
   */
  readonly noCredential?: boolean;
  /** Subscriptions where the probe's identity holds no role assignment: ARM answers 403 AuthorizationFailed. */
  readonly unreadableSubscriptions?: readonly string[];
}

export interface ScenarioExpectation {
  readonly status: VaultStatus;
  /** The finding codes, in report order. */
  readonly codes: readonly FindingCode[];
  /** The severity of each finding in `codes` (same order). */
  readonly severities: readonly Severity[];
}

/**
 * One diagnosis a vault must report, in literals: its root code and severity, the object to change (its exact
 * resource ID, a pattern naming it, or null where it is no ARM resource), the codes it explains (report order, each
 * once) and its fix commands, in order (each exact or a pattern).
 */
export interface ExpectedDiagnosis {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly resourceId: string | RegExp | null;
  readonly explains: readonly FindingCode[];
  readonly fix: readonly (string | RegExp)[];
}

export type ConnectionStatus = 'Approved' | 'Pending' | 'Rejected' | 'Disconnected';

export interface ScenarioEndpoint {
  readonly name: string;
  readonly ip: string;
  /** Vault side; default Approved. */
  readonly status?: ConnectionStatus;
  /** Endpoint side; default: the vault side. */
  readonly endpointStatus?: ConnectionStatus;
  /** The endpoint's provisioning state; default Succeeded. */
  readonly provisioning?: 'Succeeded' | 'Failed' | 'Updating' | 'Deleting';
  /** The vault-side connection's provisioning state; default Succeeded. */
  readonly connectionProvisioning?: 'Succeeded' | 'Failed' | 'Updating' | 'Disconnected';
  /** The endpoint no longer exists in ARM, though the vault still lists its connection. */
  readonly deleted?: boolean;
  /** Whether a DNS zone group keeps its record; default true. */
  readonly zoneGroup?: boolean;
  /** Resource group of the privatelink zone that holds its record; default "dns". */
  readonly zone?: string;
  /** Whether its NIC answers on 443; default: approved on both sides and Succeeded. */
  readonly reachable?: boolean;
  /** Subscription and resource group holding the endpoint and NIC; default the vault's subscription, rg "network". */
  readonly subscription?: string;
  readonly resourceGroup?: string;
  /**
   * issue 10: the VNet (by name, rg "network" of the first subscription) whose subnet holds the endpoint; default
   * the probe's VNet (vnet-probe) when the endpoint is in the first subscription.
   */
  readonly vnet?: string;
  /** issue 10: the endpoint's IPv6 address beside its IPv4 one (dual stack): in the NIC and the zone's AAAA record. */
  readonly ipv6?: string;
}

/** How the lab's DNS answers for the vault. */
export type ScenarioDns =
  /** CNAME to privatelink, A = the first usable endpoint's IP (or `a` when given: a stale record). */
  | { readonly kind: 'private'; readonly a?: readonly string[] }
  /** CNAME to privatelink, which has no record here (zone not linked): the public chain answers. */
  | { readonly kind: 'public' }
  /** A straight public answer, no privatelink CNAME (a static record, a third-party resolver). */
  | { readonly kind: 'public-no-cname' }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'servfail' }
  | { readonly kind: 'silent' };

export interface ScenarioVault {
  readonly name: string;
  /**
   * issue 21: someone else's vault: it is in ARM (under `subscription`), DNS and the data plane, but its subscription
   * is not in the probe's scope and the probe holds no role there.
   */
  readonly outOfScope?: boolean;
  /** A Managed HSM instead of a vault: `<name>.managedhsm.azure.net`, zone privatelink.managedhsm.azure.net. */
  readonly kind?: 'vault' | 'managedHsm';
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly publicNetworkAccess?: 'Enabled' | 'Disabled' | 'SecuredByPerimeter';
  /** The vault's tags, as ARM stores and lists them (e.g. `kvprobe-sites`, the sites that must probe it). */
  readonly tags?: Readonly<Record<string, string>>;
  /** issue 20: the network security perimeter the vault is associated with (scenario-network.ts). */
  readonly perimeter?: ScenarioPerimeter;
  /** The vault's public front-end address (TEST-NET-2); default 198.51.100.10. */
  readonly publicIp?: string;
  readonly endpoints?: readonly ScenarioEndpoint[];
  /** Default: private when the vault has endpoints, else public. */
  readonly dns?: ScenarioDns;
  /** The A record the privatelink zone holds for it; default what private DNS answers (none for nxdomain). */
  readonly zoneRecord?: readonly string[];
  /**
   * issue 10: the vault firewall (`properties.networkAcls`): default action, and VNet rules naming subnets of lab VNets
   * (by VNet name). Without it the vault has none (Allow).
   */
  readonly firewall?: {
    readonly defaultAction: 'Allow' | 'Deny';
    readonly ipRules?: readonly string[];
    readonly vnetRules?: readonly string[];
  };
  /** The form of `x-ms-keyvault-network-info` its endpoints send; default current. */
  readonly networkInfoForm?: NetworkInfoForm;
  /** The vault's tenant; default the lab tenant, where the probe's identity lives. */
  readonly tenantId?: string;
  /** rbac (default) or access-policy: decides the 403 a caller without data-plane rights gets. */
  readonly authorization?: 'rbac' | 'access-policy';
  /** issue 11: `properties.vaultUri` as ARM gives it; default `https://<name>.vault.azure.net/`. */
  readonly vaultUri?: string;
}

export interface ScenarioFaults {
  /** ARM requests whose path matches `path` (a case-insensitive regular expression source) fail this way. */
  readonly arm?: readonly {
    readonly path: string;
    readonly kind: 'latency' | 'status' | 'reset' | 'truncate' | 'malformed' | 'hang';
    readonly status?: number;
    readonly retryAfterSeconds?: number;
    readonly ms?: number;
    readonly times?: number;
    /** Count `times` per caller: the CLI (developer token) and the app (managed identity) each meet the fault. */
    readonly perPrincipal?: boolean;
  }[];
  /** The next n ingestion posts fail with this status. */
  readonly ingestion?: { readonly failPosts: number; readonly status: 500 | 503 | 429 | 408 };
  /** Ingestion is not there at all (connection refused). */
  readonly ingestionDown?: boolean;
  /** A transient outage, step by step (see IngestionSink.outageSequence); then ingestion recovers. */
  readonly ingestionOutage?: readonly SinkOutageStep[];
}

export const SUB_APP = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';
export const SUB_NET = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
export const DEFAULT_PUBLIC_IP = '198.51.100.10';
export const PUBLIC_CLIENT_IP = '203.0.113.10';
/** The probe's own address in its VNet, as Key Vault reports the caller over private link. */
export const PROBE_CLIENT_IP = '10.0.0.4';
export const VAULT_SUFFIX = 'vault.azure.net';
export const PRIVATELINK_ZONE = 'privatelink.vaultcore.azure.net';
const PUBLIC_CNAME = 'data-prod-weu.vaultcore.azure.net';

/** What the emulators need for one scenario. */
export interface CompiledScenario {
  readonly subscriptions: readonly string[];
  readonly resources: readonly ArmResource[];
  readonly dns: Readonly<Record<string, DnsBehaviour>>;
  readonly dataplaneVaults: readonly DataplaneVault[];
  readonly dataplaneEndpoints: readonly DataplaneEndpoint[];
  /** Every address the lab must own (on the namespace's loopback, or mapped with --connect-to). */
  readonly addresses: readonly string[];
  /** The probe's VNet, when the scenario places the probe in one. */
  readonly vnetId: string | undefined;
  /** issue 20: what --vnet / PROBE_VNET_ID say: the probe's subnet where the scenario passes it, else the VNet. */
  readonly siteId: string | undefined;
  /** What Azure DNS answers, when the scenario has it: the zones' records behind each vault's CNAME. */
  readonly azureDnsRecords: Readonly<Record<string, DnsBehaviour>> | undefined;
  /** Custom DNS servers of that VNet: the address, and the records they answer. */
  readonly customDnsServers: readonly {
    readonly address: string;
    readonly records: Readonly<Record<string, DnsBehaviour>>;
  }[];
  /** issue 25: DNS servers on VMs of the estate's VNets (served in a namespace only, on their own address). */
  readonly estateDnsServers: CompiledScenario['customDnsServers'];
}

const usable = (e: ScenarioEndpoint): boolean =>
  (e.status ?? 'Approved') === 'Approved' &&
  (e.endpointStatus ?? e.status ?? 'Approved') === 'Approved' &&
  (e.provisioning ?? 'Succeeded') === 'Succeeded' &&
  (e.connectionProvisioning ?? 'Succeeded') === 'Succeeded' &&
  !e.deleted;

export const HSM_SUFFIX = 'managedhsm.azure.net';
export const HSM_PRIVATELINK_ZONE = 'privatelink.managedhsm.azure.net';
const isHsm = (v: ScenarioVault): boolean => v.kind === 'managedHsm';
const suffixOf = (v: ScenarioVault): string => (isHsm(v) ? HSM_SUFFIX : VAULT_SUFFIX);
const zoneNameOf = (v: ScenarioVault): string => (isHsm(v) ? HSM_PRIVATELINK_ZONE : PRIVATELINK_ZONE);

export function vaultId(v: ScenarioVault, scenario: Scenario): string {
  const sub = v.subscription ?? scenario.subscriptions?.[0] ?? SUB_APP;
  return `/subscriptions/${sub}/resourceGroups/${v.resourceGroup ?? 'apps'}/providers/Microsoft.KeyVault/${isHsm(v) ? 'managedHSMs' : 'vaults'}/${v.name}`;
}

/** issue 10: a lab VNet by name, in rg "network" of the first subscription. */
export function labVnetId(scenario: Scenario, name: string): string {
  return `/subscriptions/${scenario.subscriptions?.[0] ?? SUB_APP}/resourceGroups/network/providers/Microsoft.Network/virtualNetworks/${name}`;
}

/** The VNet of an endpoint's subnet: named, else the probe's VNet for endpoints of the first subscription. */
function endpointVnet(e: ScenarioEndpoint, v: ScenarioVault, scenario: Scenario): string {
  if (e.vnet) return labVnetId(scenario, e.vnet);
  const sub = e.subscription ?? v.subscription ?? scenario.subscriptions?.[0] ?? SUB_APP;
  if (sub === (scenario.subscriptions?.[0] ?? SUB_APP)) return labVnetId(scenario, 'vnet-probe');
  return `/subscriptions/${sub}/resourceGroups/${e.resourceGroup ?? 'network'}/providers/Microsoft.Network/virtualNetworks/vnet`;
}

function endpointIds(e: ScenarioEndpoint, v: ScenarioVault, scenario: Scenario): { pe: string; nic: string } {
  const sub = e.subscription ?? v.subscription ?? scenario.subscriptions?.[0] ?? SUB_APP;
  const base = `/subscriptions/${sub}/resourceGroups/${e.resourceGroup ?? 'network'}/providers/Microsoft.Network`;
  return {
    pe: `${base}/privateEndpoints/${e.name}`,
    nic: `${base}/networkInterfaces/${e.name}.nic.${e.ip.replace(/\./g, '-')}`,
  };
}

/** The names a vault answers to: its data-plane host and its privatelink name. */
interface VaultNames {
  readonly id: string;
  readonly host: string;
  readonly privatelink: string;
}

function namesOf(v: ScenarioVault, scenario: Scenario): VaultNames {
  return {
    id: vaultId(v, scenario),
    host: `${v.name.toLowerCase()}.${suffixOf(v)}`,
    privatelink: `${v.name.toLowerCase()}.${zoneNameOf(v)}`,
  };
}

/** How DNS answers a vault's name: as the scenario says, else private when it has endpoints. */
const dnsModeOf = (v: ScenarioVault): ScenarioDns =>
  v.dns ?? ((v.endpoints ?? []).length > 0 ? { kind: 'private' } : { kind: 'public' });

/** The vault (or Managed HSM) as ARM returns it, its private endpoint connections embedded. */
function vaultResource(v: ScenarioVault, scenario: Scenario, { id, host }: VaultNames): ArmResource {
  return {
    id,
    name: v.name,
    type: isHsm(v) ? 'Microsoft.KeyVault/managedHSMs' : 'Microsoft.KeyVault/vaults',
    location: 'westeurope',
    tags: { ...v.tags },
    ...(isHsm(v) ? { sku: { family: 'B', name: 'Standard_B1' } } : {}),
    properties: {
      tenantId: v.tenantId ?? LAB_TENANT,
      ...(isHsm(v)
        ? { hsmUri: `https://${host}/` }
        : { sku: { family: 'A', name: 'standard' }, vaultUri: v.vaultUri ?? `https://${host}/` }),
      enableRbacAuthorization: (v.authorization ?? 'rbac') === 'rbac',
      publicNetworkAccess: v.publicNetworkAccess ?? 'Disabled',
      ...(v.firewall
        ? {
            networkAcls: {
              bypass: 'AzureServices',
              defaultAction: v.firewall.defaultAction,
              ipRules: (v.firewall.ipRules ?? []).map((value) => ({ value })),
              virtualNetworkRules: (v.firewall.vnetRules ?? []).map((n) => ({
                id: subnetRuleId(scenario, n),
                ignoreMissingVnetServiceEndpoint: false,
              })),
            },
          }
        : {}),
      provisioningState: 'Succeeded',
      privateEndpointConnections: (v.endpoints ?? []).map((e) => ({
        id: `${id}/privateEndpointConnections/${e.name}.${e.ip.replace(/\./g, '')}`,
        etag: '"1"',
        properties: {
          provisioningState: e.connectionProvisioning ?? 'Succeeded',
          // A mixed-case vault gets its endpoint referenced in another casing: ARM IDs are case-insensitive.
          privateEndpoint: {
            id: /[A-Z]/.test(v.name) ? endpointIds(e, v, scenario).pe.toLowerCase() : endpointIds(e, v, scenario).pe,
          },
          privateLinkServiceConnectionState: {
            status: e.status ?? 'Approved',
            description: '',
            actionsRequired: 'None',
          },
        },
      })),
    },
  };
}

/** A private endpoint of the vault and its NIC, as ARM returns them (none for a deleted endpoint). */
function endpointResources(
  e: ScenarioEndpoint,
  v: ScenarioVault,
  scenario: Scenario,
  { id, host }: VaultNames,
): ArmResource[] {
  if (e.deleted) return [];
  const ids = endpointIds(e, v, scenario);
  const state = e.endpointStatus ?? e.status ?? 'Approved';
  const privateEndpoint: ArmResource = {
    id: ids.pe,
    name: e.name,
    type: 'Microsoft.Network/privateEndpoints',
    // An endpoint lives in its VNet's region.
    location: e.vnet ? vnetLocation(scenario, e.vnet) : 'westeurope',
    etag: 'W/"1"',
    properties: {
      provisioningState: e.provisioning ?? 'Succeeded',
      subnet: { id: `${endpointVnet(e, v, scenario)}/subnets/endpoints` },
      networkInterfaces: [{ id: ids.nic }],
      privateLinkServiceConnections: [
        {
          id: `${ids.pe}/privateLinkServiceConnections/${e.name}`,
          name: e.name,
          type: 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections',
          properties: {
            provisioningState: 'Succeeded',
            privateLinkServiceId: id,
            groupIds: ['vault'],
            privateLinkServiceConnectionState: { status: state, description: '', actionsRequired: 'None' },
          },
        },
      ],
      manualPrivateLinkServiceConnections: [],
      customDnsConfigs: [{ fqdn: host, ipAddresses: [e.ip] }],
    },
  };
  const ipConfig = (suffix: string, address: string, version?: 'IPv6'): ArmResource => ({
    id: `${ids.nic}/ipConfigurations/privateEndpointIpConfig${suffix}`,
    name: `privateEndpointIpConfig${suffix}`,
    properties: {
      provisioningState: 'Succeeded',
      privateIPAddress: address,
      ...(version ? { privateIPAddressVersion: version } : {}),
      privateIPAllocationMethod: 'Dynamic',
      privateLinkConnectionProperties: { groupId: 'vault', requiredMemberName: 'default', fqdns: [host] },
    },
  });
  const nic: ArmResource = {
    id: ids.nic,
    name: ids.nic.split('/').pop(),
    type: 'Microsoft.Network/networkInterfaces',
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [ipConfig('', e.ip), ...(e.ipv6 ? [ipConfig('-v6', e.ipv6, 'IPv6')] : [])],
      privateEndpoint: { id: ids.pe },
    },
  };
  return [privateEndpoint, nic];
}

/** What the data plane knows of a vault: its host, network access, firewall and authorization model. */
function dataplaneVaultOf(v: ScenarioVault, host: string, scenario: Scenario): DataplaneVault {
  return {
    host,
    // A perimeter in Enforced mode that admits no one closes the public path (the scenario says so); otherwise the
    // vault's own settings answer.
    publicNetworkAccess:
      v.perimeter?.accessMode === 'Enforced' && !v.perimeter.inbound
        ? 'Disabled'
        : (v.publicNetworkAccess ?? 'Disabled') === 'Disabled'
          ? 'Disabled'
          : 'Enabled',
    ...(v.firewall
      ? {
          networkAcls: {
            defaultAction: v.firewall.defaultAction,
            ipRules: [...(v.firewall.ipRules ?? [])],
            // issue 20: a VNet rule admits the probe only when it names the probe's own subnet and that subnet has
            // the Key Vault service endpoint (virtual network service endpoints overview).
            admitsProbeVnet:
              serviceEndpointSubnet(scenario) !== undefined &&
              (v.firewall.vnetRules ?? []).some(
                (n) => subnetRuleId(scenario, n).toLowerCase() === serviceEndpointSubnet(scenario)?.toLowerCase(),
              ),
          },
        }
      : {}),
    ...(v.tenantId ? { tenantId: v.tenantId } : {}),
    ...(v.authorization ? { authorization: v.authorization } : {}),
  };
}

/** The addresses of a vault's endpoints, and the data-plane listeners of those that pass traffic. */
function endpointListeners(
  v: ScenarioVault,
  scenario: Scenario,
  host: string,
): { addresses: string[]; listeners: DataplaneEndpoint[] } {
  const addresses: string[] = [];
  const listeners: DataplaneEndpoint[] = [];
  for (const e of v.endpoints ?? []) {
    // An endpoint that is not approved and provisioned passes no traffic: its address refuses connections.
    const listener = {
      kind: 'private' as const,
      servesHost: host,
      privateEndpointId: endpointIds(e, v, scenario).pe,
      clientAddress: PROBE_CLIENT_IP,
      networkInfoForm: v.networkInfoForm ?? 'current',
    };
    for (const address of e.ipv6 ? [e.ip, e.ipv6] : [e.ip]) {
      addresses.push(address);
      if (e.reachable ?? usable(e)) listeners.push({ represents: address, ...listener });
    }
  }
  return { addresses, listeners };
}

/** What the VNet's DNS answers for a vault's names. */
function vaultDns(v: ScenarioVault, { host, privatelink }: VaultNames, publicIp: string): Record<string, DnsBehaviour> {
  const eps = v.endpoints ?? [];
  const mode = dnsModeOf(v);
  switch (mode.kind) {
    case 'private': {
      const first = eps.find(usable) ?? eps[0];
      return {
        [host]: { cname: privatelink, ttl: 60 },
        [privatelink]: {
          a: [...(mode.a ?? (first ? [first.ip] : []))],
          ...(first?.ipv6 && !mode.a ? { aaaa: [first.ipv6] } : {}),
          ttl: 10,
        },
      };
    }
    case 'public':
      return { [host]: { cname: privatelink, ttl: 60 }, [privatelink]: { cname: PUBLIC_CNAME, ttl: 60 } };
    case 'public-no-cname':
      return { [host]: { a: [publicIp], ttl: 300 } };
    case 'nxdomain':
      return { [host]: { rcode: 'NXDOMAIN' } };
    case 'servfail':
      return { [host]: { rcode: 'SERVFAIL' } };
    case 'silent':
      return { [host]: { silent: true } };
  }
}

/** Private DNS zones keyed "<resource group>|<zone name>" (Key Vault and Managed HSM records live in different zones). */
type Zones = Map<string, Map<string, string[]>>;

function zoneIdOf(scenario: Scenario, key: string): string {
  const [rg, name] = key.split('|');
  return `/subscriptions/${scenario.subscriptions?.[0] ?? SUB_APP}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${name}`;
}

/**
 * Private DNS: one privatelink zone per resource group named by the endpoints (default "dns"), in the first
 * subscription, with the A records the scenario says; and each endpoint's zone group pointing at its zone.
 */
function privateZones(scenario: Scenario): { zones: Zones; zoneGroups: ArmResource[] } {
  const zones: Zones = new Map();
  const zoneGroups: ArmResource[] = [];
  zones.set(`dns|${PRIVATELINK_ZONE}`, new Map());
  for (const v of scenario.vaults) {
    const eps = v.endpoints ?? [];
    const mode = dnsModeOf(v);
    const usableIp = (eps.find(usable) ?? eps[0])?.ip;
    const record: string[] = v.zoneRecord
      ? [...v.zoneRecord]
      : mode.kind === 'private' && mode.a
        ? [...mode.a]
        : mode.kind === 'nxdomain' || !usableIp
          ? []
          : [usableIp];
    const key = (rgName: string): string => `${rgName}|${zoneNameOf(v)}`;
    const rg = key(eps[0]?.zone ?? 'dns');
    if (!zones.has(rg)) zones.set(rg, new Map());
    if (record.length > 0) zones.get(rg)?.set(v.name.toLowerCase(), record);
    // Endpoints of other zones get their own record there (a second region's zone).
    for (const e of eps.slice(1)) {
      if (!e.zone || key(e.zone) === rg) continue;
      if (!zones.has(key(e.zone))) zones.set(key(e.zone), new Map());
      zones.get(key(e.zone))?.set(v.name.toLowerCase(), [e.ip]);
    }
    for (const e of eps) {
      if (e.deleted || e.zoneGroup === false) continue;
      const peId = endpointIds(e, v, scenario).pe;
      zoneGroups.push({
        id: `${peId}/privateDnsZoneGroups/default`,
        name: 'default',
        type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
        properties: {
          provisioningState: 'Succeeded',
          privateDnsZoneConfigs: [
            { name: 'vaultcore', properties: { privateDnsZoneId: zoneIdOf(scenario, e.zone ? key(e.zone) : rg) } },
          ],
        },
      });
    }
  }
  return { zones, zoneGroups };
}

/** Each zone, its A record sets, and its VNet links: the probe's VNet unless told otherwise, and zoneLinkedTo. */
function zoneResources(scenario: Scenario, zones: Zones, vnetId: string | undefined): ArmResource[] {
  const resources: ArmResource[] = [];
  for (const [zoneKey, records] of zones) {
    const id = zoneIdOf(scenario, zoneKey);
    const zoneName = zoneKey.split('|')[1] ?? PRIVATELINK_ZONE;
    resources.push({
      id,
      name: zoneName,
      type: 'Microsoft.Network/privateDnsZones',
      location: 'global',
      properties: { provisioningState: 'Succeeded', numberOfRecordSets: records.size + 1 },
    });
    for (const [label, ips] of records) {
      resources.push({
        id: `${id}/A/${label}`,
        name: label,
        type: 'Microsoft.Network/privateDnsZones/A',
        properties: { ttl: 10, fqdn: `${label}.${zoneName}.`, aRecords: ips.map((ip) => ({ ipv4Address: ip })) },
      });
    }
    const rgOfZone = zoneKey.split('|')[0] ?? 'dns';
    const linkHere =
      scenario.probeVnet?.zoneLinked !== false &&
      (scenario.probeVnet?.linkedZones === undefined || scenario.probeVnet.linkedZones.includes(rgOfZone));
    const linkTo = [
      ...(vnetId && linkHere ? [vnetId] : []),
      ...(scenario.probeVnet?.zoneLinkedTo ?? []).map((n) => labVnetId(scenario, n)),
    ];
    for (const target of linkTo) {
      const linkName = `link-${target.split('/').pop() ?? 'vnet'}`;
      resources.push({
        id: `${id}/virtualNetworkLinks/${linkName}`,
        name: linkName,
        type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
        location: 'global',
        properties: {
          virtualNetwork: { id: target },
          registrationEnabled: false,
          resolutionPolicy: target === vnetId ? (scenario.probeVnet?.resolutionPolicy ?? 'Default') : 'Default',
          virtualNetworkLinkState: 'Completed',
          provisioningState: 'Succeeded',
        },
      });
    }
  }
  return resources;
}

/** The VNet's custom DNS servers; one that answers "public" forwards only vaultcore.azure.net (the public chain). */
function customDnsServersOf(
  scenario: Scenario,
  dns: Readonly<Record<string, DnsBehaviour>>,
  servers: readonly { readonly address: string; readonly answers: 'private' | 'public' }[] = scenario.probeVnet
    ?.dnsServers ?? [],
): CompiledScenario['customDnsServers'] {
  return servers.map((server) => {
    const records: Record<string, DnsBehaviour> = { ...dns };
    if (server.answers === 'public') {
      for (const v of scenario.vaults) {
        records[`${v.name.toLowerCase()}.${zoneNameOf(v)}`] = { cname: PUBLIC_CNAME, ttl: 60 };
      }
    }
    return { address: server.address, records };
  });
}

/**
 * What Azure DNS answers, when the scenario has it: each vault's privatelink name from its zone record. issue 10: in
 * a VNet the scenario places the probe in, it answers from the zones linked to that VNet (or forwarded to through a
 * ruleset linked to it); for other zones the name follows the public chain.
 */
function azureDnsRecordsOf(
  scenario: Scenario,
  dns: Readonly<Record<string, DnsBehaviour>>,
  zones: Zones,
  vnetId: string | undefined,
): Record<string, DnsBehaviour> | undefined {
  if (!scenario.azureDns) return undefined;
  const records: Record<string, DnsBehaviour> = { ...dns };
  const pv = scenario.probeVnet;
  const servedHere = (rg: string): boolean =>
    !vnetId ||
    pv?.privateResolver !== undefined ||
    (pv?.zoneLinked !== false && (pv?.linkedZones === undefined || pv.linkedZones.includes(rg)));
  for (const [zoneKey, zoneRecords] of zones) {
    const [rg = 'dns', zoneName = PRIVATELINK_ZONE] = zoneKey.split('|');
    for (const [label, ips] of zoneRecords)
      records[`${label}.${zoneName}`] = servedHere(rg) ? { a: [...ips], ttl: 10 } : { cname: PUBLIC_CNAME, ttl: 60 };
  }
  if (scenario.azureDnsSilent) for (const k of Object.keys(records)) records[k] = { silent: true };
  return records;
}

/** issue 20: the probe VNet's subnets as its GET embeds them (with service endpoints and route table). */
function probeSubnetResources(scenario: Scenario, vnetId: string): unknown[] {
  return probeSubnets(scenario).map((sn, i) => ({
    id: `${vnetId}/subnets/${sn.name}`,
    name: sn.name,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    properties: {
      provisioningState: 'Succeeded',
      addressPrefix: sn.addressPrefix ?? `10.0.${i}.0/24`,
      serviceEndpoints: (sn.serviceEndpoints ?? []).map((service) => ({
        service,
        locations: ['westeurope'],
        provisioningState: 'Succeeded',
      })),
      ...(sn.routes ? { routeTable: { id: routeTableId(scenario, sn.name) } } : {}),
    },
  }));
}

/** The probe's VNet: address space, custom DNS servers and peerings. */
function probeVnetResource(scenario: Scenario, vnetId: string, dnsServers: readonly string[]): ArmResource {
  return {
    id: vnetId,
    name: 'vnet-probe',
    type: 'Microsoft.Network/virtualNetworks',
    location: vnetLocation(scenario, 'vnet-probe'),
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: [...(scenario.probeVnet?.addressPrefixes ?? ['10.0.0.0/8'])] },
      dhcpOptions: { dnsServers: [...dnsServers] },
      subnets: probeSubnetResources(scenario, vnetId),
      virtualNetworkPeerings: [
        ...(scenario.probeVnet?.peers ?? []).map((p) => ({
          id: `${vnetId}/virtualNetworkPeerings/to-${p.name}`,
          name: `to-${p.name}`,
          properties: {
            provisioningState: 'Succeeded',
            peeringState: 'Connected',
            remoteVirtualNetwork: { id: labVnetId(scenario, p.name) },
            remoteAddressSpace: { addressPrefixes: [...p.addressPrefixes] },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: true,
            useRemoteGateways: false,
          },
        })),
        // issue 10: a Virtual WAN hub connection shows on the VNet as a peering to the hub's own VNet.
        ...hubPeerings(scenario, 'vnet-probe'),
      ],
    },
  };
}

/** Turns the declarative scenario into ARM resources, DNS answers and data-plane listeners. */
export function compileScenario(scenario: Scenario): CompiledScenario {
  const resources: ArmResource[] = [];
  const dns: Record<string, DnsBehaviour> = {};
  const dataplaneVaults: DataplaneVault[] = [];
  const endpoints = new Map<string, DataplaneEndpoint>();
  const addresses = new Set<string>();
  const subscriptions = new Set<string>(scenario.subscriptions ?? [SUB_APP]);

  for (const v of scenario.vaults) {
    const names = namesOf(v, scenario);
    const publicIp = v.publicIp ?? DEFAULT_PUBLIC_IP;
    if (!v.outOfScope) subscriptions.add(v.subscription ?? [...subscriptions][0] ?? SUB_APP);
    resources.push(vaultResource(v, scenario, names));
    for (const e of v.endpoints ?? []) resources.push(...endpointResources(e, v, scenario, names));
    const own = endpointListeners(v, scenario, names.host);
    for (const address of own.addresses) addresses.add(address);
    for (const listener of own.listeners) endpoints.set(listener.represents, listener);
    dataplaneVaults.push(dataplaneVaultOf(v, names.host, scenario));
    if (!endpoints.has(publicIp))
      endpoints.set(publicIp, {
        represents: publicIp,
        kind: 'public',
        // issue 20: with the Key Vault service endpoint on the probe's subnet, the vault sees the caller's private
        // address and the subnet (conn_type=Subnet).
        ...(serviceEndpointSubnet(scenario)
          ? { clientAddress: PROBE_CLIENT_IP, serviceEndpointSubnet: serviceEndpointSubnet(scenario) }
          : { clientAddress: PUBLIC_CLIENT_IP }),
        networkInfoForm: v.networkInfoForm ?? 'current',
      });
    Object.assign(dns, vaultDns(v, names, publicIp));
  }
  dns[PUBLIC_CNAME] = { a: [DEFAULT_PUBLIC_IP], ttl: 60 };
  Object.assign(dns, scenario.dns ?? {});

  const vnetId = scenario.probeVnet ? labVnetId(scenario, 'vnet-probe') : undefined;
  const { zones, zoneGroups } = privateZones(scenario);
  resources.push(...zoneGroups, ...zoneResources(scenario, zones, vnetId));
  const customDnsServers = customDnsServersOf(scenario, dns);
  for (const server of customDnsServers) addresses.add(server.address);
  const estateDnsServers = customDnsServersOf(scenario, dns, scenario.estate?.vmDnsServers ?? []);
  for (const server of estateDnsServers) addresses.add(server.address);
  const azureDnsRecords = azureDnsRecordsOf(scenario, dns, zones, vnetId);
  if (vnetId) {
    resources.push(
      probeVnetResource(
        scenario,
        vnetId,
        customDnsServers.map((c) => c.address),
      ),
    );
    resources.push(...privateResolverResources(scenario, vnetId));
  }
  resources.push(...networkResources(scenario));
  resources.push(...connectivityResources(scenario));
  resources.push(...estateResources(scenario));

  // Every address DNS or the hosts file can return belongs to the lab; one that no endpoint serves refuses.
  for (const behaviour of Object.values(dns)) {
    if ('a' in behaviour) for (const a of behaviour.a ?? []) addresses.add(a);
    if ('aaaa' in behaviour) for (const a of behaviour.aaaa ?? []) addresses.add(a);
  }
  for (const address of Object.keys(scenario.hosts ?? {})) addresses.add(address);
  if (scenario.proxy) addresses.add(scenario.proxy.address);
  if (scenario.azureDns) addresses.add(AZURE_DNS);
  for (const address of endpoints.keys()) addresses.add(address);

  return {
    subscriptions: [...subscriptions],
    resources,
    dns,
    dataplaneVaults,
    dataplaneEndpoints: [...endpoints.values()],
    addresses: [...addresses],
    vnetId,
    siteId:
      vnetId && scenario.probeVnet?.passSubnet
        ? `${vnetId}/subnets/${probeSubnets(scenario)[0]?.name ?? 'apps'}`
        : vnetId,
    customDnsServers,
    estateDnsServers,
    azureDnsRecords,
  };
}

/**
 * issue 10: a DNS Private Resolver in a hub: the resolver (its VNet), its inbound endpoint, and a forwarding ruleset
 * linked to the probe's VNet whose one rule sends the vault domain to the inbound endpoint. Shapes from the
 * Microsoft.Network 2022-07-01 REST reference (dnsResolvers, inboundEndpoints, dnsForwardingRulesets).
 */
function privateResolverResources(scenario: Scenario, vnetId: string): ArmResource[] {
  const r = scenario.probeVnet?.privateResolver;
  if (!r) return [];
  const sub = scenario.subscriptions?.[0] ?? SUB_APP;
  const hub = labVnetId(scenario, r.vnet);
  const resolver = `/subscriptions/${sub}/resourceGroups/dns/providers/Microsoft.Network/dnsResolvers/resolver-${r.vnet}`;
  const ruleset = `/subscriptions/${sub}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/ruleset-spokes`;
  const ok = { provisioningState: 'Succeeded' };
  return [
    {
      id: resolver,
      name: `resolver-${r.vnet}`,
      type: 'Microsoft.Network/dnsResolvers',
      location: 'westeurope',
      properties: { ...ok, virtualNetwork: { id: hub }, dnsResolverState: 'Connected' },
    },
    {
      id: `${resolver}/inboundEndpoints/inbound`,
      name: 'inbound',
      type: 'Microsoft.Network/dnsResolvers/inboundEndpoints',
      location: 'westeurope',
      properties: {
        ...ok,
        ipConfigurations: [
          {
            subnet: { id: `${hub}/subnets/dns-inbound` },
            privateIpAddress: r.inboundIp,
            privateIpAllocationMethod: 'Static',
          },
        ],
      },
    },
    {
      id: ruleset,
      name: 'ruleset-spokes',
      type: 'Microsoft.Network/dnsForwardingRulesets',
      location: 'westeurope',
      properties: { ...ok, dnsResolverOutboundEndpoints: [{ id: `${resolver}/outboundEndpoints/outbound` }] },
    },
    ...(r.rules ?? [{ domain: r.domain ?? 'vault.azure.net.', target: r.inboundIp }]).map((rule, i) => ({
      id: `${ruleset}/forwardingRules/${i === 0 && !r.rules ? 'keyvault' : `rule-${i}`}`,
      name: i === 0 && !r.rules ? 'keyvault' : `rule-${i}`,
      type: 'Microsoft.Network/dnsForwardingRulesets/forwardingRules',
      properties: {
        ...ok,
        domainName: rule.domain,
        targetDnsServers: [{ ipAddress: rule.target, port: 53 }],
        forwardingRuleState: 'Enabled',
      },
    })),
    {
      id: `${ruleset}/virtualNetworkLinks/link-vnet-probe`,
      name: 'link-vnet-probe',
      type: 'Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks',
      properties: { ...ok, virtualNetwork: { id: vnetId }, metadata: {} },
    },
    ...(r.hubLinked ? [rulesetLink(ruleset, r.vnet, hub)] : []),
    ...hubRulesetResources(sub, resolver, r.vnet, hub, r.hubRules),
  ];
}

/** issue 20: a ruleset's VNet link (dnsForwardingRulesets/virtualNetworkLinks, 2022-07-01). */
function rulesetLink(ruleset: string, vnetName: string, vnetId: string): ArmResource {
  return {
    id: `${ruleset}/virtualNetworkLinks/link-${vnetName}`,
    name: `link-${vnetName}`,
    type: 'Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks',
    properties: { provisioningState: 'Succeeded', virtualNetwork: { id: vnetId }, metadata: {} },
  };
}

/** issue 20: `ruleset-hub`, linked to the resolver's VNet only: it processes what arrives at the inbound endpoint. */
function hubRulesetResources(
  sub: string,
  resolver: string,
  vnetName: string,
  hub: string,
  rules: readonly { readonly domain: string; readonly target: string }[] | undefined,
): ArmResource[] {
  if (!rules) return [];
  const ok = { provisioningState: 'Succeeded' };
  const ruleset = `/subscriptions/${sub}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/ruleset-hub`;
  return [
    {
      id: ruleset,
      name: 'ruleset-hub',
      type: 'Microsoft.Network/dnsForwardingRulesets',
      location: 'westeurope',
      properties: { ...ok, dnsResolverOutboundEndpoints: [{ id: `${resolver}/outboundEndpoints/outbound` }] },
    },
    ...rules.map((rule, i) => ({
      id: `${ruleset}/forwardingRules/hub-${i}`,
      name: `hub-${i}`,
      type: 'Microsoft.Network/dnsForwardingRulesets/forwardingRules',
      properties: {
        ...ok,
        domainName: rule.domain,
        targetDnsServers: [{ ipAddress: rule.target, port: 53 }],
        forwardingRuleState: 'Enabled',
      },
    })),
    rulesetLink(ruleset, vnetName, hub),
  ];
}
