import type { NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from './types';

/**
 * Where the expected state comes from. The ARM adapter implements it with per-resource reads; a batched
 * implementation (one list per type per subscription) can replace it without touching the pipeline.
 * Methods throw `InventoryError` for failures the run should report.
 */
export interface Inventory {
  /** Every vault of the subscription, with its private endpoint connections. */
  listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]>;
  getVault(ref: { subscriptionId: string; resourceGroup: string; name: string }, signal: AbortSignal): Promise<VaultRecord>;
  getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord>;
  getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord>;
  /** The subscriptions of a scope given otherwise (a management group), when the request names none. */
  scopeSubscriptions?(signal: AbortSignal): Promise<string[]> | undefined;
  /** Where the state came from, for the report: the source, and the lists served from an earlier run. */
  describe?(): { source: string; fromCache: readonly { subscriptionId: string; kind: string; ageMs: number; reason: string }[] };
}

/** A failed inventory read, with what ARM said. */
export class InventoryError extends Error {
  override readonly name = 'InventoryError';
  constructor(
    message: string,
    readonly operation: string,
    readonly resourceId: string | undefined,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}
