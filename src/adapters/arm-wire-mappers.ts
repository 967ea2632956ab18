import type { EndpointConnection, NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../probe/types';
import { mapLinked, mapNetworkAcls, type RecordSetRead } from './arm-mappers';

/*
 * Wire-shape mappers, for sources that hand back ARM's JSON as is (Resource Graph rows): nested `properties`,
 * no SDK deserializer in between. Tests hold them equal to the SDK-path mappers of arm-mappers.ts on the same JSON.
 */
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A Key Vault or (with `managedHsm` and its suffix) a Managed HSM row, as Resource Graph returns it. */
export function mapVaultWire(
  row: unknown,
  fallbackSuffix: string,
  kind: 'vault' | 'managedHsm' = 'vault',
): VaultRecord {
  const r = obj(row);
  const p = obj(r['properties']);
  const connections = p['privateEndpointConnections'];
  return mapLinked(
    {
      id: str(r['id']),
      name: str(r['name']),
      tags: r['tags'],
      uri: str(p['vaultUri']),
      publicNetworkAccess: str(p['publicNetworkAccess']),
      networkAcls: mapNetworkAcls(p['networkAcls']),
      connectionsListed: Array.isArray(connections),
      connections: arr(connections).map((c) => {
        if (typeof c !== 'object' || c === null) return c;
        const cp = obj(obj(c)['properties']);
        return {
          id: str(obj(c)['id']),
          privateEndpoint: { id: str(obj(cp['privateEndpoint'])['id']) },
          privateLinkServiceConnectionState: { status: str(obj(cp['privateLinkServiceConnectionState'])['status']) },
          provisioningState: str(cp['provisioningState']),
        };
      }),
    },
    kind,
    fallbackSuffix,
  );
}

function mapEndpointConnectionWire(c: unknown, approval: 'auto' | 'manual'): EndpointConnection {
  const cp = obj(obj(c)['properties']);
  const state = obj(cp['privateLinkServiceConnectionState']);
  return {
    name: str(obj(c)['name']) ?? '',
    approval,
    privateLinkServiceId: str(cp['privateLinkServiceId']),
    status: str(state['status']),
    provisioningState: str(cp['provisioningState']),
    description: str(state['description']),
  };
}

export function mapPrivateEndpointWire(row: unknown): PrivateEndpointRecord {
  const r = obj(row);
  const p = obj(r['properties']);
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    provisioningState: str(p['provisioningState']),
    subnetId: str(obj(p['subnet'])['id']),
    connections: [
      ...arr(p['privateLinkServiceConnections']).map((c) => mapEndpointConnectionWire(c, 'auto')),
      ...arr(p['manualPrivateLinkServiceConnections']).map((c) => mapEndpointConnectionWire(c, 'manual')),
    ],
    networkInterfaceIds: arr(p['networkInterfaces']).flatMap((n) => {
      const id = str(obj(n)['id']);
      return id ? [id] : [];
    }),
    customDnsConfigs: arr(p['customDnsConfigs']).map((d) => ({
      fqdn: str(obj(d)['fqdn']) ?? '',
      ipAddresses: arr(obj(d)['ipAddresses']).flatMap((ip) => (typeof ip === 'string' ? [ip] : [])),
    })),
  };
}

export function mapNetworkInterfaceWire(row: unknown): NetworkInterfaceRecord {
  const r = obj(row);
  const p = obj(r['properties']);
  return {
    id: str(r['id']) ?? '',
    ipConfigurations: arr(p['ipConfigurations']).flatMap((c) => {
      const cp = obj(obj(c)['properties']);
      const ip = str(cp['privateIPAddress']);
      if (!ip) return [];
      const fqdns = arr(obj(cp['privateLinkConnectionProperties'])['fqdns']).flatMap((f) =>
        typeof f === 'string' ? [f] : [],
      );
      return [{ privateIpAddress: ip.split('/')[0] ?? ip, fqdns }];
    }),
  };
}

/** Whether a NIC row belongs to a private endpoint (Resource Graph's `isnotnull(properties.privateEndpoint)`). */
export function isEndpointNicWire(row: unknown): boolean {
  const pe = obj(obj(row)['properties'])['privateEndpoint'];
  return pe !== undefined && pe !== null;
}

/** A record set from ARM's JSON (its fields nested in `properties`), for mapPrivateDnsZone. */
export function mapRecordSetWire(row: unknown): RecordSetRead {
  const r = obj(row);
  const p = obj(r['properties']);
  return { id: r['id'], name: r['name'], ttl: p['ttl'], aRecords: p['aRecords'] };
}
