import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

/** A credential that hands out one pre-issued token (KVPROBE_ACCESS_TOKEN, e.g. from `az account get-access-token`). */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    getToken(): Promise<AccessToken> {
      // The token's real expiry is unknown; an hour is what ARM issues by default.
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 });
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
