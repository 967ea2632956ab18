import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { DataplaneTokens } from '../probe/dataplane-auth';
import { staticTokenProblem, tokenClaims } from '../probe/token-claims';

/** How long a failure to get a token is remembered: one run of many vaults asks the chain once, not per vault. */
const FAILURE_MEMORY_MS = 60_000;

/**
 * Data-plane tokens from KVPROBE_DATAPLANE_TOKEN when set (one static token, e.g. from
 * `az account get-access-token --resource https://vault.azure.net`, for the audience in its `aud` until its `exp`), else from DefaultAzureCredential: the managed
 * identity named by AZURE_CLIENT_ID in Azure, the developer's az/azd login elsewhere. `credential`, when given, is
 * the chain the ARM reads already use (its token cache is shared).
 */
export function createDataplaneTokens(
  env: Readonly<Record<string, string | undefined>>,
  credential?: TokenCredential,
): DataplaneTokens {
  const fixed = env['KVPROBE_DATAPLANE_TOKEN']?.trim();
  if (fixed) {
    // Only to the audience its `aud` names, and only until its `exp`: never a vault token to a Managed HSM or a
    // sovereign cloud, never a token the service will refuse as expired (which would read as a network verdict).
    const claims = tokenClaims(fixed);
    return {
      get: (audience) => {
        const problem = staticTokenProblem('KVPROBE_DATAPLANE_TOKEN', claims, Date.now(), audience);
        return problem ? Promise.reject(new Error(problem)) : Promise.resolve(fixed);
      },
    };
  }
  const clientId = env['AZURE_CLIENT_ID']?.trim();
  const chain = credential ?? new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  const failures = new Map<string, { at: number; error: Error }>();
  // Vaults probed at once share one request to the chain per audience, so a failing chain is asked once, not per vault.
  const inflight = new Map<string, Promise<string>>();
  const fetchToken = async (audience: string): Promise<string> => {
    try {
      const token = await chain.getToken(`${audience}/.default`);
      if (!token?.token) throw new Error(`the credential chain returned no token for ${audience}`);
      failures.delete(audience);
      return token.token;
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      failures.set(audience, { at: Date.now(), error: e });
      throw e;
    } finally {
      inflight.delete(audience);
    }
  };
  return {
    async get(audience: string): Promise<string> {
      const failed = failures.get(audience);
      if (failed && Date.now() - failed.at < FAILURE_MEMORY_MS) throw failed.error;
      let p = inflight.get(audience);
      if (!p) {
        p = fetchToken(audience);
        inflight.set(audience, p);
      }
      return p;
    },
  };
}
