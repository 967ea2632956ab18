import type { ManagedHsm, Vault } from '@azure/arm-keyvault';
import type {
  NetworkInterface,
  PrivateDnsZoneGroup,
  PrivateEndpoint,
  PrivateLinkServiceConnection,
  VirtualNetwork,
} from '@azure/arm-network';
import { mapSubnet } from './network-mappers';
import type { PrivateZone, VirtualNetworkLink } from '@azure/arm-privatedns';
import { parseArmId, vaultNameProblem } from '../probe/names';
import type {
  EndpointConnection,
  NetworkAclsRecord,
  NetworkInterfaceRecord,
  PrivateDnsZoneRecord,
  PrivateEndpointRecord,
  VaultRecord,
  VirtualNetworkRecord,
  ZoneGroupRecord,
} from '../probe/types';

/** Pure mappers from Azure SDK models to the engine's records. Tested against wire JSON run through the SDK. */

function hostOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    return new URL(uri).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The vault's host from its name and the cloud's suffix, and the vaultUri's host when that disagrees: the probe
 * resolves and connects only to names it made itself.
 */
export function vaultHosts(name: unknown, uri: unknown, suffix: string): { host: string; uriHost?: string } {
  const host = typeof name === 'string' && !vaultNameProblem(name) ? `${name.toLowerCase()}.${suffix}` : '';
  const fromUri = hostOf(typeof uri === 'string' ? uri : undefined);
  return { host, ...(fromUri !== undefined && fromUri !== host ? { uriHost: fromUri } : {}) };
}

/** What Key Vault and Managed HSM share: a resource with a data-plane URI and private endpoint connections. */
export interface LinkedResource {
  readonly id?: string;
  readonly name?: string;
  readonly uri: string | undefined;
  readonly publicNetworkAccess: string | undefined;
  readonly networkAcls: NetworkAclsRecord | undefined;
  /** False when the source left `privateEndpointConnections` out. */
  readonly connectionsListed: boolean;
  readonly tags?: unknown;
  /** Each a Connection; an item that is no object is kept as it came: checkVaultValues (pipeline/expected.ts) names it. */
  readonly connections: readonly unknown[];
}

type Connection = { id?: string; privateEndpoint?: { id?: string }; provisioningState?: string } & {
  privateLinkServiceConnectionState?: { status?: string };
};

/** A vault or HSM from what the SDK path and the wire path (arm-wire-mappers.ts) both read of it. */
export function mapLinked(r: LinkedResource, kind: 'vault' | 'managedHsm', fallbackSuffix: string): VaultRecord {
  const id = r.id ?? '';
  const parts = parseArmId(id);
  const name = r.name ?? parts?.name ?? '';
  return {
    id,
    name,
    ...(kind === 'managedHsm' ? { kind } : {}),
    subscriptionId: parts?.subscriptionId ?? '',
    resourceGroup: parts?.resourceGroup ?? '',
    ...vaultHosts(name, r.uri, fallbackSuffix),
    publicNetworkAccess: r.publicNetworkAccess,
    ...(r.networkAcls ? { networkAcls: r.networkAcls } : {}),
    ...(r.connectionsListed ? {} : { connectionsListed: false }),
    ...tagsOf(r.tags),
    connections: r.connections.map((item) => {
      // A malformed item stays malformed, so the vault fails alone and says which value, never a made-up connection.
      if (typeof item !== 'object' || item === null) return item as VaultRecord['connections'][number];
      const c = item as Connection;
      return {
        id: c.id ?? '',
        privateEndpointId: c.privateEndpoint?.id,
        status: c.privateLinkServiceConnectionState?.status,
        provisioningState: c.provisioningState,
      };
    }),
  };
}

/** Tags with string values only; none: no field, so records without tags stay as they were. */
function tagsOf(tags: unknown): { tags?: Readonly<Record<string, string>> } {
  if (typeof tags !== 'object' || tags === null) return {};
  const kept = Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string');
  return kept.length > 0 ? { tags: Object.fromEntries(kept) } : {};
}

/** The firewall of a vault or HSM, from the SDK's or the wire's `networkAcls`. */
export function mapNetworkAcls(acls: unknown): NetworkAclsRecord | undefined {
  if (typeof acls !== 'object' || acls === null) return undefined;
  const a = acls as Record<string, unknown>;
  const list = (v: unknown): Record<string, unknown>[] =>
    Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    defaultAction: text(a['defaultAction']),
    ipRules: list(a['ipRules']).flatMap((r) => (text(r['value']) ? [text(r['value']) ?? ''] : [])),
    // The SDK and the wire both name a VNet rule's subnet `id`.
    virtualNetworkRules: list(a['virtualNetworkRules']).flatMap((r) => (text(r['id']) ? [text(r['id']) ?? ''] : [])),
  };
}

/**
 * The SDK's connections, refusing an item the deserializer made from no object (every field undefined): thrown, so
 * readList (arm-lists.ts) reads the page raw and the item reaches checkVaultValues as ARM gave it.
 */
function sdkConnections(list: readonly object[] | undefined): readonly object[] {
  for (const c of list ?? [])
    if (Object.values(c).every((v) => v === undefined))
      throw new TypeError('a private endpoint connection item has no field the probe can read');
  return list ?? [];
}

export function mapVault(vault: Vault, fallbackSuffix: string): VaultRecord {
  const p = vault.properties;
  return mapLinked(
    {
      id: vault.id,
      name: vault.name,
      tags: vault.tags,
      uri: p?.vaultUri,
      publicNetworkAccess: p?.publicNetworkAccess,
      networkAcls: mapNetworkAcls(p?.networkAcls),
      connectionsListed: p?.privateEndpointConnections !== undefined,
      connections: sdkConnections(p?.privateEndpointConnections),
    },
    'vault',
    fallbackSuffix,
  );
}

/** A Managed HSM as a vault record: same links, its own host and privatelink zone. */
export function mapManagedHsm(hsm: ManagedHsm, fallbackSuffix: string): VaultRecord {
  const p = hsm.properties;
  return mapLinked(
    {
      id: hsm.id,
      name: hsm.name,
      tags: hsm.tags,
      uri: p?.hsmUri,
      publicNetworkAccess: p?.publicNetworkAccess,
      networkAcls: mapNetworkAcls(p?.networkAcls),
      connectionsListed: p?.privateEndpointConnections !== undefined,
      connections: sdkConnections(p?.privateEndpointConnections),
    },
    'managedHsm',
    fallbackSuffix,
  );
}

function mapEndpointConnection(c: PrivateLinkServiceConnection, approval: 'auto' | 'manual'): EndpointConnection {
  return {
    name: c.name ?? '',
    approval,
    privateLinkServiceId: c.privateLinkServiceId,
    status: c.privateLinkServiceConnectionState?.status,
    provisioningState: c.provisioningState,
    description: c.privateLinkServiceConnectionState?.description,
  };
}

export function mapPrivateEndpoint(pe: PrivateEndpoint): PrivateEndpointRecord {
  return {
    id: pe.id ?? '',
    name: pe.name ?? '',
    provisioningState: pe.provisioningState,
    subnetId: pe.subnet?.id,
    connections: [
      ...(pe.privateLinkServiceConnections ?? []).map((c) => mapEndpointConnection(c, 'auto')),
      ...(pe.manualPrivateLinkServiceConnections ?? []).map((c) => mapEndpointConnection(c, 'manual')),
    ],
    networkInterfaceIds: (pe.networkInterfaces ?? []).flatMap((n) => (n.id ? [n.id] : [])),
    customDnsConfigs: (pe.customDnsConfigs ?? []).map((d) => ({
      fqdn: d.fqdn ?? '',
      ipAddresses: d.ipAddresses ?? [],
    })),
  };
}

export function mapNetworkInterface(nic: NetworkInterface): NetworkInterfaceRecord {
  return {
    id: nic.id ?? '',
    // The SDK's deserializer does not check a string's type: a malformed body must cost this NIC its address, not
    // throw and fail the whole list page (found by the ARM payload fuzzing).
    ipConfigurations: (nic.ipConfigurations ?? []).flatMap((c) =>
      typeof c.privateIPAddress === 'string' && c.privateIPAddress
        ? [
            {
              privateIpAddress: c.privateIPAddress.split('/')[0] ?? c.privateIPAddress,
              fqdns: c.privateLinkConnectionProperties?.fqdns ?? [],
            },
          ]
        : [],
    ),
  };
}

/**
 * An A record set as the SDK gives it (`RecordSet` fits) or as arm-wire-mappers.ts reads it from ARM's JSON: nothing
 * in it is trusted to have its documented type.
 */
export interface RecordSetRead {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly ttl?: unknown;
  readonly aRecords?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function mapPrivateDnsZone(
  zone: PrivateZone,
  records: readonly RecordSetRead[],
  links: readonly VirtualNetworkLink[],
): PrivateDnsZoneRecord {
  const id = zone.id ?? '';
  const parts = parseArmId(id);
  const sets = records.map((r) => ({
    id: text(r.id) ?? '',
    name: (text(r.name) ?? '').toLowerCase(),
    ttl: typeof r.ttl === 'number' ? r.ttl : undefined,
    a: r.aRecords,
  }));
  // An aRecords that is there but no list is unreadable: the record set is kept by name, so a check never takes
  // it for a missing record (found by the ARM payload fuzzing).
  const unreadable = sets.filter((s) => s.a !== undefined && s.a !== null && !Array.isArray(s.a));
  return {
    id,
    name: (zone.name ?? parts?.name ?? '').toLowerCase(),
    subscriptionId: parts?.subscriptionId ?? '',
    resourceGroup: parts?.resourceGroup ?? '',
    links: links.map((l) => ({
      id: l.id ?? '',
      name: l.name ?? '',
      virtualNetworkId: l.virtualNetwork?.id ?? '',
      resolutionPolicy: l.resolutionPolicy,
    })),
    aRecords: sets.flatMap((s) =>
      Array.isArray(s.a) && s.a.length > 0
        ? [
            {
              id: s.id,
              name: s.name,
              ips: s.a.flatMap((a: unknown) => {
                const ip =
                  typeof a === 'object' && a !== null ? (a as { ipv4Address?: unknown }).ipv4Address : undefined;
                return typeof ip === 'string' && ip ? [ip] : [];
              }),
              ttl: s.ttl,
            },
          ]
        : [],
    ),
    ...(unreadable.length > 0 ? { unreadableRecords: unreadable.map((s) => ({ id: s.id, name: s.name })) } : {}),
  };
}

export function mapZoneGroup(group: PrivateDnsZoneGroup): ZoneGroupRecord {
  return {
    id: group.id ?? '',
    name: group.name ?? '',
    zoneIds: (group.privateDnsZoneConfigs ?? []).flatMap((c) => (c.privateDnsZoneId ? [c.privateDnsZoneId] : [])),
  };
}

export function mapVirtualNetwork(vnet: VirtualNetwork): VirtualNetworkRecord {
  return {
    id: vnet.id ?? '',
    ...(vnet.location ? { location: vnet.location } : {}),
    addressPrefixes: vnet.addressSpace?.addressPrefixes ?? [],
    dnsServers: vnet.dhcpOptions?.dnsServers ?? [],
    peerings: (vnet.virtualNetworkPeerings ?? []).flatMap((p) =>
      p.remoteVirtualNetwork?.id
        ? [
            {
              remoteVirtualNetworkId: p.remoteVirtualNetwork.id,
              remoteAddressPrefixes:
                p.remoteAddressSpace?.addressPrefixes ?? p.remoteVirtualNetworkAddressSpace?.addressPrefixes ?? [],
              ...(p.peeringState ? { state: p.peeringState } : {}),
              ...(p.useRemoteGateways ? { useRemoteGateways: true } : {}),
            },
          ]
        : [],
    ),
    subnets: (vnet.subnets ?? []).map(mapSubnet),
  };
}
