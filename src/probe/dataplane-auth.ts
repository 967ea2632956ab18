/** The authenticated read on the data plane: a token for the vault's audience, and the path to read. */
export interface AuthenticatedRead {
  readonly token: string;
  readonly path: string;
  /** Asked after /healthstatus with its network header: false skips the read (the audit-quiet period). */
  readonly when?: (networkInfo: string | undefined) => boolean;
}

/**
 * Hands out data-plane tokens (for `https://vault.azure.net` and its sovereign and Managed HSM siblings) from the
 * probe's own credential chain. Rejects when no token can be had; the caller turns that into a finding.
 */
export interface DataplaneTokens {
  get(audience: string, signal: AbortSignal): Promise<string>;
}
