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
  const jwt = (claims: Record<string, unknown>): string =>
    `eyJ0eXAiOiJKV1QifQ.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const inAnHour = Math.floor(Date.now() / 1000) + 3600;

  it('sends KVPROBE_DATAPLANE_TOKEN only to the audience in its aud claim, never asking the chain', async () => {
    const chain = counting(async () => ({ token: 'from-chain', expiresOnTimestamp: Date.now() + 60_000 }));
    const token = jwt({ aud: 'https://vault.azure.net', exp: inAnHour });
    const tokens = createDataplaneTokens({ KVPROBE_DATAPLANE_TOKEN: ` ${token} ` }, chain);
    expect(await tokens.get('https://vault.azure.net', signal)).toBe(token);
    await expect(tokens.get('https://managedhsm.azure.net', signal)).rejects.toThrow(
      'KVPROBE_DATAPLANE_TOKEN is for https://vault.azure.net, not https://managedhsm.azure.net: it is not sent there',
    );
    await expect(tokens.get('https://vault.usgovcloudapi.net', signal)).rejects.toThrow('is not sent there');
    expect(chain.scopes).toEqual([]);
  });

  it('refuses an expired KVPROBE_DATAPLANE_TOKEN by name, and one that is no JWT, without showing it', async () => {
    const expired = createDataplaneTokens({ KVPROBE_DATAPLANE_TOKEN: jwt({ aud: 'https://vault.azure.net', exp: 1 }) });
    await expect(expired.get('https://vault.azure.net', signal)).rejects.toThrow(
      'KVPROBE_DATAPLANE_TOKEN expired at 1970-01-01T00:00:01.000Z: make a new one with az account get-access-token --resource https://vault.azure.net',
    );
    const opaque = createDataplaneTokens({ KVPROBE_DATAPLANE_TOKEN: 'opaque-secret' });
    const error = await opaque.get('https://vault.azure.net', signal).catch((e: Error) => e.message);
    expect(error).toBe(
      'KVPROBE_DATAPLANE_TOKEN is not a JWT (value not shown): its audience and expiry cannot be read',
    );
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
