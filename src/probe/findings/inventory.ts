import type { CauseTable } from './info';

// Cause `inventory`: the expected state could not be read (ARM permissions, scope, vault not found). A code of this
// cause is declared here and nowhere else in src/: its details below and its row in the table (the compiler asks for
// both, and for the row's cause).

/** The facts each finding of cause `inventory` carries, by code. */
export interface InventoryFindingDetails {
  ARM_READ_FAILED: { operation: string; resourceId?: string; statusCode?: number; armErrorCode?: string };
  ENDPOINT_READ_FAILED: { privateEndpointId: string; statusCode?: number; armErrorCode?: string };
  VAULT_NOT_FOUND: { vault: string; subscriptions: string[] };
  CREDENTIAL_UNAVAILABLE: { tried: string[] };
}

export const INVENTORY_FINDINGS: CauseTable<InventoryFindingDetails, 'inventory'> = {
  CREDENTIAL_UNAVAILABLE: {
    severity: 'error',
    cause: 'inventory',
    title: 'No credential gave the probe a token for ARM',
    when: 'no credential gave a token for ARM (not logged in, no managed identity, an expired or unusable token setting): nothing was read',
    severityNote: 'status `unknown`, exit 3',
    remediation:
      'Sign in with az login (or azd auth login); in Azure, give the app a managed identity and set AZURE_CLIENT_ID to its client ID; or, for the CLI, export KVPROBE_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv). No role assignment changes this.',
  },
  ARM_READ_FAILED: {
    severity: 'error',
    cause: 'inventory',
    title: 'The expected state could not be read from ARM',
    when: 'the expected state could not be read (status code and ARM error code kept)',
    severityNote: 'status `unknown`',
    remediation:
      'Grant the probe identity Microsoft.KeyVault/vaults/read, Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read, and check the subscription and vault names.',
  },
  ENDPOINT_READ_FAILED: {
    severity: 'warning',
    cause: 'inventory',
    title: 'A private endpoint or its NIC could not be read',
    when: 'an endpoint or NIC could not be read',
    severityNote: 'status `unknown` unless 404',
    remediation:
      "Grant Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read on the endpoint's subscription; without them the endpoint's IP is taken from its connection only.",
  },
  VAULT_NOT_FOUND: {
    severity: 'error',
    cause: 'inventory',
    title: 'The vault was not found in the subscriptions in scope',
    when: 'the vault name is in none of the subscriptions in scope',
    severityNote: 'status `unknown`',
    remediation:
      'Check the vault name and the subscriptions given (--subscription / PROBE_SUBSCRIPTIONS), and that the probe identity can read vaults there.',
  },
};
