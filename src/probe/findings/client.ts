import type { CauseTable } from './info';

// Cause `client`: client-side settings that bypass private link (proxy, privatelink host name). A code of this cause is
// declared here and nowhere else in src/: its details below and its row in the table (the compiler asks for both, and
// for the row's cause).

/** The facts each finding of cause `client` carries, by code. */
export interface ClientFindingDetails {
  PROXY_IN_PATH: { variable: string; proxy: string; noProxy?: string };
  PRIVATELINK_HOST_IN_USE: { host: string; where: string };
}

export const CLIENT_FINDINGS: CauseTable<ClientFindingDetails, 'client'> = {
  PROXY_IN_PATH: {
    severity: 'warning',
    cause: 'client',
    title: 'A proxy would carry traffic to the vault',
    when: '`HTTPS_PROXY`/`HTTP_PROXY` (any case) would carry vault traffic: `NO_PROXY` does not exempt the host',
    remediation:
      'Add the vault hostname (or .vault.azure.net and .vaultcore.azure.net) to NO_PROXY so clients connect to the private endpoint directly.',
  },
  PRIVATELINK_HOST_IN_USE: {
    severity: 'warning',
    cause: 'client',
    title: 'The privatelink name is used directly',
    when: '`--vault` or `PROBE_VAULTS` names the vault by its privatelink host',
    remediation:
      'Use https://<vault>.vault.azure.net/: Key Vault serves its certificate and its Host check for that name, not for the privatelink one.',
  },
};
