/** Validation of what users type: vault names, resource IDs, subscription IDs. Pure, with exact messages. */

const VAULT_NAME = /^[a-zA-Z](?:[a-zA-Z0-9-]{1,22})[a-zA-Z0-9]$/;

/** Key Vault's naming rules; undefined when valid, else why not. */
export function vaultNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 24) return `must be 3-24 characters long (got ${name.length})`;
  if (!/^[a-zA-Z]/.test(name)) return 'must start with a letter';
  if (!/[a-zA-Z0-9]$/.test(name)) return 'must end with a letter or digit';
  if (/[^a-zA-Z0-9-]/.test(name)) return 'may contain only letters, digits and hyphens';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  return VAULT_NAME.test(name) ? undefined : 'is not a valid vault name';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isSubscriptionId(value: string): boolean {
  return GUID.test(value);
}

export interface VaultResourceId {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

const VAULT_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)\/?$/i;

/** Parses `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`; else a reason. */
export function parseVaultId(id: string): VaultResourceId | string {
  const m = VAULT_ID.exec(id);
  if (!m)
    return 'is not a Key Vault resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>)';
  const [, sub = '', rg = '', name = ''] = m;
  if (!isSubscriptionId(sub)) return `has subscription "${sub}", which is not a GUID`;
  if (!/^[-\w._()]{1,90}$/.test(rg) || rg.endsWith('.')) return `has an invalid resource group name "${rg}"`;
  const problem = vaultNameProblem(name);
  if (problem) return `has vault name "${name}", which ${problem}`;
  return { id: id.replace(/\/$/, ''), subscriptionId: sub, resourceGroup: rg, name };
}

/** Parts of any ARM ID: subscription, resource group, and the last type/name pair. */
export function parseArmId(id: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  if (!m) return undefined;
  return { subscriptionId: m[1] ?? '', resourceGroup: m[2] ?? '', name: m[3] ?? '' };
}
