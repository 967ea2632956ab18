import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import type { CloudProfile } from '../probe/clouds';
import { InventoryError, type Inventory } from '../probe/inventory';
import { parseArmId } from '../probe/names';
import type { NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../probe/types';
import { mapNetworkInterface, mapPrivateEndpoint, mapVault } from './arm-mappers';

export interface ArmInventoryOptions {
  readonly credential: TokenCredential;
  readonly cloud: CloudProfile;
  /** Retries of throttled (429, honouring Retry-After) and transient failures, inside each step's timeout. */
  readonly maxRetries?: number;
}

/** The expected state read resource by resource through the ARM SDKs. */
export class ArmInventory implements Inventory {
  private readonly keyVault = new Map<string, KeyVaultManagementClient>();
  private readonly network = new Map<string, NetworkManagementClient>();

  constructor(private readonly options: ArmInventoryOptions) {}

  describe(): { source: string; fromCache: readonly never[] } {
    return { source: 'per-vault', fromCache: [] };
  }

  private clientOptions(): ConstructorParameters<typeof KeyVaultManagementClient>[2] & object {
    const endpoint = this.options.cloud.armEndpoint;
    return {
      endpoint,
      // Ask for the selected cloud's ARM audience explicitly: some clients default to the public cloud's.
      credentials: { scopes: [`${endpoint}/.default`] },
      retryOptions: { maxRetries: this.options.maxRetries ?? 3 },
      userAgentOptions: { userAgentPrefix: 'kv-privatelink-probe' },
    };
  }

  private kv(subscriptionId: string): KeyVaultManagementClient {
    let c = this.keyVault.get(subscriptionId);
    if (!c) {
      c = new KeyVaultManagementClient(this.options.credential, subscriptionId, this.clientOptions());
      this.keyVault.set(subscriptionId, c);
    }
    return c;
  }

  private net(subscriptionId: string): NetworkManagementClient {
    let c = this.network.get(subscriptionId);
    if (!c) {
      c = new NetworkManagementClient(this.options.credential, subscriptionId, this.clientOptions());
      this.network.set(subscriptionId, c);
    }
    return c;
  }

  async listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]> {
    return guard('list vaults', `/subscriptions/${subscriptionId}`, async () => {
      const out: VaultRecord[] = [];
      for await (const v of this.kv(subscriptionId).vaults.listBySubscription({ abortSignal: signal })) {
        out.push(mapVault(v, this.options.cloud.vaultSuffix));
      }
      return out;
    });
  }

  /** Every private endpoint of the subscription, paged. */
  async listPrivateEndpoints(subscriptionId: string, signal: AbortSignal): Promise<PrivateEndpointRecord[]> {
    return guard('list private endpoints', `/subscriptions/${subscriptionId}`, async () => {
      const out: PrivateEndpointRecord[] = [];
      for await (const pe of this.net(subscriptionId).privateEndpoints.listBySubscription({ abortSignal: signal })) out.push(mapPrivateEndpoint(pe));
      return out;
    });
  }

  /** Every NIC of the subscription, paged; only those of private endpoints are kept. */
  async listNetworkInterfaces(subscriptionId: string, signal: AbortSignal): Promise<NetworkInterfaceRecord[]> {
    return guard('list network interfaces', `/subscriptions/${subscriptionId}`, async () => {
      const out: NetworkInterfaceRecord[] = [];
      for await (const nic of this.net(subscriptionId).networkInterfaces.listAll({ abortSignal: signal })) {
        if (nic.privateEndpoint) out.push(mapNetworkInterface(nic));
      }
      return out;
    });
  }

  async getVault(ref: { subscriptionId: string; resourceGroup: string; name: string }, signal: AbortSignal): Promise<VaultRecord> {
    const id = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.KeyVault/vaults/${ref.name}`;
    return guard('get vault', id, async () =>
      mapVault(await this.kv(ref.subscriptionId).vaults.get(ref.resourceGroup, ref.name, { abortSignal: signal }), this.options.cloud.vaultSuffix),
    );
  }

  async getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord> {
    return guard('get private endpoint', id, async () => {
      const p = parts(id, 'get private endpoint');
      return mapPrivateEndpoint(await this.net(p.subscriptionId).privateEndpoints.get(p.resourceGroup, p.name, { abortSignal: signal }));
    });
  }

  async getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord> {
    return guard('get network interface', id, async () => {
      const p = parts(id, 'get network interface');
      return mapNetworkInterface(await this.net(p.subscriptionId).networkInterfaces.get(p.resourceGroup, p.name, { abortSignal: signal }));
    });
  }
}

function parts(id: string, operation: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const p = parseArmId(id);
  if (!p) throw new InventoryError(`"${id}" is not an ARM resource ID`, operation, id, undefined, 'InvalidResourceId');
  return p;
}

/** Turns SDK errors into InventoryError, recognised by shape (isRestError), not class identity. */
async function guard<T>(operation: string, resourceId: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InventoryError) throw error;
    if (isRestError(error)) {
      // Paged calls report only "Pagination failed"; ARM's own words are in the body.
      const body = armError(error.response?.bodyAsText);
      throw new InventoryError(firstLine(body?.message ?? error.message), operation, resourceId, error.statusCode, body?.code ?? error.code);
    }
    throw error;
  }
}

/** `{ error: { code, message } }`, the ARM error body, when the response carried one. */
export function armError(body: string | null | undefined): { code?: string; message?: string } | undefined {
  if (!body) return undefined;
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return {
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(typeof e?.message === 'string' ? { message: e.message } : {}),
    };
  } catch {
    return undefined;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).slice(0, 500);
}
