import type { Vault } from '@azure/arm-keyvault';
import type { NetworkInterface, PrivateEndpoint, PrivateLinkServiceConnection } from '@azure/arm-network';
import { parseArmId } from '../probe/names';
import type { EndpointConnection, NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../probe/types';

/** Pure mappers from Azure SDK models to the engine's records. Tested against wire JSON run through the SDK. */

function hostOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    return new URL(uri).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function mapVault(vault: Vault, fallbackSuffix: string): VaultRecord {
  const id = vault.id ?? '';
  const parts = parseArmId(id);
  const name = vault.name ?? parts?.name ?? '';
  return {
    id,
    name,
    subscriptionId: parts?.subscriptionId ?? '',
    resourceGroup: parts?.resourceGroup ?? '',
    host: hostOf(vault.properties?.vaultUri) ?? `${name.toLowerCase()}.${fallbackSuffix}`,
    publicNetworkAccess: vault.properties?.publicNetworkAccess,
    connections: (vault.properties?.privateEndpointConnections ?? []).map((c) => ({
      id: c.id ?? '',
      privateEndpointId: c.privateEndpoint?.id,
      status: c.privateLinkServiceConnectionState?.status,
      provisioningState: c.provisioningState,
    })),
  };
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
    customDnsConfigs: (pe.customDnsConfigs ?? []).map((d) => ({ fqdn: d.fqdn ?? '', ipAddresses: d.ipAddresses ?? [] })),
  };
}

export function mapNetworkInterface(nic: NetworkInterface): NetworkInterfaceRecord {
  return {
    id: nic.id ?? '',
    ipConfigurations: (nic.ipConfigurations ?? []).flatMap((c) =>
      c.privateIPAddress
        ? [{ privateIpAddress: c.privateIPAddress.split('/')[0] ?? c.privateIPAddress, fqdns: c.privateLinkConnectionProperties?.fqdns ?? [] }]
        : [],
    ),
  };
}
