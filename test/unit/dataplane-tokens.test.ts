import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDataplaneTokens } from '../../src/adapters/dataplane-tokens';

function counting(answer: () => Promise<AccessToken>): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: async (scope: string | string[]) => {
      scopes.push(String(scope));
      return answer();
    },
  };
}
const signal = new AbortController().signal;

describe('data-plane tokens', () => {
  it('uses KVPROBE_DATAPLANE_TOKEN as it is, for any audience', async () => {
    const chain = counting(async () => ({ token: 'from-chain', expiresOnTimestamp: Date.now() + 60_000 }));
    const tokens = createDataplaneTokens({ KVPROBE_DATAPLANE_TOKEN: ' static ' }, chain);
    expect(await tokens.get('https://vault.azure.net', signal)).toBe('static');
    expect(chain.scopes).toEqual([]);
  });

  it('asks the chain for <audience>/.default, once for vaults probed at once', async () => {
    const chain = counting(async () => ({ token: 't1', expiresOnTimestamp: Date.now() + 60_000 }));
    const tokens = createDataplaneTokens({}, chain);
    const got = await Promise.all([1, 2, 3].map(() => tokens.get('https://managedhsm.azure.net', signal)));
    expect(got).toEqual(['t1', 't1', 't1']);
    expect(chain.scopes).toEqual(['https://managedhsm.azure.net/.default']);
  });

  it('remembers a failure for a minute instead of asking the chain per vault', async () => {
    const chain = counting(async () => {
      throw new Error('CredentialUnavailableError: no managed identity');
    });
    const tokens = createDataplaneTokens({}, chain);
    await expect(tokens.get('https://vault.azure.net', signal)).rejects.toThrow('no managed identity');
    await expect(tokens.get('https://vault.azure.net', signal)).rejects.toThrow('no managed identity');
    expect(chain.scopes).toHaveLength(1);
  });
});
