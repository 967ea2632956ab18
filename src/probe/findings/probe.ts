import type { CauseTable } from './info';

// Cause `probe`: the probe itself could not finish or judge (run deadline, data-plane token, a defect, a foreign
// endpoint). A code of this cause is declared here and nowhere else in src/: its details below and its row in the table
// (the compiler asks for both, and for the row's cause).

/** The facts each finding of cause `probe` carries, by code. */
export interface ProbeFindingDetails {
  RUN_DEADLINE_EXCEEDED: { deadlineMs: number };
  DATAPLANE_AUTH_UNAVAILABLE: { audience: string; error: string };
  DATAPLANE_TOKEN_REJECTED: {
    address: string;
    via?: string;
    status: number;
    audience?: string;
    errorCode?: string;
    serverMessage?: string;
  };
  PROBE_STEP_FAILED: { stage: string; error: string };
  VAULT_URI_MISMATCH: { host: string; uriHost: string };
  FOREIGN_ENDPOINT: {
    privateEndpointId: string;
    reason: 'denied';
    statusCode?: number;
    armErrorCode?: string;
  };
}

export const PROBE_FINDINGS: CauseTable<ProbeFindingDetails, 'probe'> = {
  RUN_DEADLINE_EXCEEDED: {
    severity: 'error',
    cause: 'probe',
    title: 'The run ended before this vault was probed',
    when: "the run's deadline passed before the vault was probed",
    severityNote: 'status `unknown`',
    remediation:
      'Raise PROBE_RUN_DEADLINE_MS (keeping it below the function timeout), raise PROBE_CONCURRENCY, or split the vaults over more probes; check for slow DNS or ARM.',
  },
  DATAPLANE_AUTH_UNAVAILABLE: {
    severity: 'warning',
    cause: 'probe',
    title: 'No data-plane token: the 403 could not be reproduced',
    when: 'no data-plane token could be obtained: only `/healthstatus` was asked',
    severityNote: 'error and status `unknown` in the timer once the authenticated read had worked',
    remediation:
      'Let the probe identity get a token for the vault audience (managed identity in Azure; az login elsewhere; or KVPROBE_DATAPLANE_TOKEN). No data-plane role is needed. Or set PROBE_DATAPLANE_AUTH=off to rely on /healthstatus alone.',
  },
  DATAPLANE_TOKEN_REJECTED: {
    severity: 'warning',
    cause: 'probe',
    title: "Key Vault rejected the probe's data-plane token (401)",
    when: 'the authenticated read got 401 (token for another audience or tenant)',
    severityNote: 'error and status `unknown` in the timer once the authenticated read had worked',
    remediation:
      "The token is for another audience or another tenant than the vault: check AZURE_CLIENT_ID / KVPROBE_DATAPLANE_TOKEN and that the identity lives in the vault's tenant. The network verdict of this address is unknown until a token is accepted.",
  },
  PROBE_STEP_FAILED: {
    severity: 'warning',
    cause: 'probe',
    title: 'The probe failed on this vault',
    when: 'a stage failed for this vault (an ARM value of the wrong type, or a defect); the other vaults are probed',
    severityNote: 'status `unknown`',
    remediation:
      "This is a defect in kvprobe or an ARM payload it cannot read: report it with the message and the vault's ARM JSON (az keyvault show --ids <id>). The other vaults were probed normally.",
  },
  VAULT_URI_MISMATCH: {
    severity: 'warning',
    cause: 'probe',
    title: 'ARM names another host for the vault',
    when: "ARM's `vaultUri` names another host than `<vault>.<cloud suffix>`; the probe used only the latter",
    remediation:
      'Compare properties.vaultUri with https://<vault>.<cloud suffix>/; a proxy or gateway rewriting ARM answers, or a wrong --cloud, explains a difference. Clients should use the name-based host.',
  },
  FOREIGN_ENDPOINT: {
    severity: 'info',
    cause: 'probe',
    title: 'A private endpoint of the vault belongs to another tenant, service or scope',
    when: "an endpoint of the vault is another tenant's, a managed one, or out of scope and unreadable: named, left out of the expectation",
    remediation:
      "Nothing to fix when the endpoint is another tenant's or a managed endpoint (Data Factory, Synapse, AI Search): the probe leaves it out of what this VNet expects. To judge it too, give the probe identity Reader on its subscription.",
  },
};
