import type {
  ArmReadError,
  ExpectedEndpoint,
  ExpectedState,
  NetworkInterfaceRecord,
  PrivateEndpointRecord,
  VaultRecord,
  ZoneGroupRecord,
} from '../types';
import { isDenied, toReadError } from './read-errors';
import type { BudgetedReader } from './reader';

/** A value ARM gave that the probe cannot use: the vault's stages stop, and its result says which value. */
export class InvalidArmValue extends Error {
  override readonly name = 'InvalidArmValue';
}

const optionalString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

/**
 * Checks the values of a vault record that the checks use, where the SDKs' typings only promise them: an ARM
 * payload (or a proxy in front of ARM) can put a number where a string belongs.
 */
export function checkVaultValues(vault: VaultRecord): void {
  const bad = (path: string, v: unknown): never => {
    throw new InvalidArmValue(
      `ARM gave ${path} = ${JSON.stringify(v)?.slice(0, 80) ?? String(v)} (${v === null ? 'null' : typeof v}) for vault ${String(vault.name)}`,
    );
  };
  if (typeof vault.name !== 'string') bad('name', vault.name);
  if (!vault.host) bad('name (not a valid vault name, so no host to probe)', vault.name);
  if (!optionalString(vault.publicNetworkAccess)) bad('properties.publicNetworkAccess', vault.publicNetworkAccess);
  if (!Array.isArray(vault.connections)) bad('properties.privateEndpointConnections', vault.connections);
  vault.connections.forEach((c, i) => {
    const at = `properties.privateEndpointConnections[${i}]`;
    if (typeof c !== 'object' || c === null) bad(at, c);
    if (!optionalString(c.status)) bad(`${at}.properties.privateLinkServiceConnectionState.status`, c.status);
    if (!optionalString(c.provisioningState)) bad(`${at}.properties.provisioningState`, c.provisioningState);
    if (!optionalString(c.privateEndpointId)) bad(`${at}.properties.privateEndpoint.id`, c.privateEndpointId);
  });
}

/** Stage 2: the vault's endpoints and their NICs. A failed read is kept with the endpoint, never thrown. */
export async function readExpected(
  vault: VaultRecord,
  reader: BudgetedReader,
  /**
   * unless-listed (the estate map): no NIC read for an endpoint whose `customDnsConfigs` already give the vault's
   * IPs, so thousands of vaults need no NIC list; always (a probe run): every NIC, as before.
   */
  nics: 'always' | 'unless-listed' = 'always',
): Promise<ExpectedState> {
  const endpoints = await Promise.all(
    vault.connections.map(async (connection): Promise<ExpectedEndpoint> => {
      const errors: ArmReadError[] = [];
      const peId = connection.privateEndpointId;
      if (!peId) return { connection, endpoint: undefined, networkInterfaces: [], errors };
      let endpoint: PrivateEndpointRecord | undefined;
      try {
        endpoint = await reader.endpoint(peId);
      } catch (error) {
        const e = toReadError(error, 'get private endpoint', peId);
        errors.push(e);
        // Denied (401/403, another tenant's endpoint or a managed one): not ours to judge. Anything else (a timeout,
        // 429, 5xx) is transient wherever the endpoint lives: the endpoint stays the vault's, unknown.
        const foreign = isDenied(e) ? ('denied' as const) : undefined;
        return { connection, endpoint: undefined, networkInterfaces: [], errors, ...(foreign ? { foreign } : {}) };
      }
      const networkInterfaces: NetworkInterfaceRecord[] = [];
      const listed = endpoint.customDnsConfigs.some(
        (c) => c.fqdn.toLowerCase() === vault.host && c.ipAddresses.length > 0,
      );
      if (nics === 'unless-listed' && listed) return { connection, endpoint, networkInterfaces, errors };
      for (const nicId of endpoint.networkInterfaceIds) {
        try {
          networkInterfaces.push(await reader.nic(nicId));
        } catch (error) {
          errors.push(toReadError(error, 'get network interface', nicId));
        }
      }
      return { connection, endpoint, networkInterfaces, errors };
    }),
  );
  return { vault, endpoints };
}

/** The DNS zone groups of each endpoint that exists. A failed read leaves the endpoint's groups unknown. */
export async function readZoneGroups(expected: ExpectedState, reader: BudgetedReader): Promise<ExpectedState> {
  const endpoints = await Promise.all(
    expected.endpoints.map(async (ep): Promise<ExpectedEndpoint> => {
      const peId = ep.endpoint?.id;
      if (!peId) return ep;
      try {
        const zoneGroups: ZoneGroupRecord[] | undefined = await reader.zoneGroups(peId);
        // Not read: the groups stay unknown, which is not "none" (that would be ZONE_GROUP_MISSING).
        return zoneGroups ? { ...ep, zoneGroups } : ep;
      } catch {
        return ep;
      }
    }),
  );
  return { ...expected, endpoints };
}
