/** The Azure clouds the probe knows, with the DNS names Key Vault uses in each. */
export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface CloudProfile {
  readonly name: CloudName;
  /** ARM endpoint, without a trailing slash. */
  readonly armEndpoint: string;
  /** Public suffix of vault hostnames: `<vault>.<vaultSuffix>`. */
  readonly vaultSuffix: string;
  /** Private DNS zone that the vault's CNAME must pass through. */
  readonly privatelinkZone: string;
  /** Managed HSM: `<hsm>.<hsmSuffix>`, through `privatelink.<hsmSuffix>`. */
  readonly hsmSuffix: string;
}

/** Azure-provided DNS, the same virtual address in every VNet of every cloud. */
export const AZURE_DNS = '168.63.129.16';

export const CLOUD_NAMES: readonly CloudName[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];

const CLOUDS: Readonly<Record<CloudName, CloudProfile>> = {
  AzureCloud: {
    name: 'AzureCloud',
    armEndpoint: 'https://management.azure.com',
    vaultSuffix: 'vault.azure.net',
    privatelinkZone: 'privatelink.vaultcore.azure.net',
    hsmSuffix: 'managedhsm.azure.net',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    armEndpoint: 'https://management.usgovcloudapi.net',
    vaultSuffix: 'vault.usgovcloudapi.net',
    privatelinkZone: 'privatelink.vaultcore.usgovcloudapi.net',
    hsmSuffix: 'managedhsm.usgovcloudapi.net',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    armEndpoint: 'https://management.chinacloudapi.cn',
    vaultSuffix: 'vault.azure.cn',
    privatelinkZone: 'privatelink.vaultcore.azure.cn',
    hsmSuffix: 'managedhsm.azure.cn',
  },
};

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}

/** The cloud's profile, with the ARM endpoint replaced when one is given explicitly. */
export function cloudProfile(name: CloudName, armEndpointOverride?: string): CloudProfile {
  const base = CLOUDS[name];
  return armEndpointOverride ? { ...base, armEndpoint: armEndpointOverride.replace(/\/+$/, '') } : base;
}

/** `<vault>.<suffix>`, lower-cased, as clients must address it. */
export function vaultHostname(vaultName: string, cloud: CloudProfile): string {
  return `${vaultName.toLowerCase()}.${cloud.vaultSuffix}`;
}

/** The private DNS zone of a vault or a Managed HSM. */
export function privatelinkZoneOf(vault: { kind?: 'vault' | 'managedHsm' }, cloud: CloudProfile): string {
  return vault.kind === 'managedHsm' ? `privatelink.${cloud.hsmSuffix}` : cloud.privatelinkZone;
}

/**
 * The Entra audience of the vault's data plane: `https://vault.azure.net` (or the sovereign cloud's), and
 * `https://managedhsm.azure.net` for Managed HSM. Any identity can get a token for it; using it needs a data-plane role.
 */
export function dataplaneAudience(vault: { kind?: 'vault' | 'managedHsm' }, cloud: CloudProfile): string {
  return `https://${vault.kind === 'managedHsm' ? cloud.hsmSuffix : cloud.vaultSuffix}`;
}

/** Data-plane API version of the authenticated read. */
export const DATAPLANE_API_VERSION = '7.5';

/**
 * The authenticated read: one page of one item of the secrets list (keys on a Managed HSM, which holds no secrets).
 * Read-only, needs authorization, and the probe identity is never given it: Key Vault answers with its network
 * verdict or, once the path is accepted, ForbiddenByRbac.
 */
export function authenticatedReadPath(vault: { kind?: 'vault' | 'managedHsm' }): string {
  return `/${vault.kind === 'managedHsm' ? 'keys' : 'secrets'}?maxresults=1&api-version=${DATAPLANE_API_VERSION}`;
}
