import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { staticTokenProblem, tokenClaims } from '../probe/token-claims';

/** A static token that cannot be used: named like @azure/identity's own, so the run reports a credential problem. */
export class StaticTokenError extends Error {
  override readonly name = 'CredentialUnavailableError';
}

/**
 * A credential that hands out one pre-issued token (KVPROBE_ACCESS_TOKEN, e.g. from `az account get-access-token`)
 * with its real expiry (`exp`); an expired one, or one that is no JWT, is refused with the setting's name.
 */
export function staticTokenCredential(token: string, setting = 'KVPROBE_ACCESS_TOKEN'): TokenCredential {
  const claims = tokenClaims(token);
  return {
    getToken(): Promise<AccessToken> {
      const problem = staticTokenProblem(setting, claims, Date.now());
      if (problem || claims?.expiresAt === undefined)
        return Promise.reject(
          new StaticTokenError(problem ?? `${setting} has no exp claim: its expiry cannot be known`),
        );
      return Promise.resolve({ token, expiresOnTimestamp: claims.expiresAt });
    },
  };
}

/**
 * KVPROBE_ACCESS_TOKEN when set; otherwise DefaultAzureCredential, which picks the user-assigned managed identity
 * named by AZURE_CLIENT_ID in Azure and the developer's az/azd login elsewhere.
 */
export function createCredential(env: NodeJS.ProcessEnv): TokenCredential {
  const token = env['KVPROBE_ACCESS_TOKEN']?.trim();
  if (token) return staticTokenCredential(token);
  const clientId = env['AZURE_CLIENT_ID']?.trim();
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}
