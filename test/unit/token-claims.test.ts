import { staticTokenCredential } from '../../src/adapters/credential';
import { isForAudience, staticTokenProblem, tokenClaims } from '../../src/probe/token-claims';

const jwt = (claims: Record<string, unknown>): string =>
  `eyJ0eXAiOiJKV1QifQ.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('static token claims (issue 21)', () => {
  it('reads aud (one or several) and exp; undefined for a token that is no JWT', () => {
    expect(tokenClaims(jwt({ aud: 'https://vault.azure.net', exp: 100 }))).toEqual({
      audiences: ['https://vault.azure.net'],
      expiresAt: 100_000,
    });
    expect(tokenClaims(jwt({ aud: ['a', 'b'] }))).toEqual({ audiences: ['a', 'b'], expiresAt: undefined });
    expect(tokenClaims('not-a-jwt')).toBeUndefined();
    expect(tokenClaims('a.!!!.c')).toBeUndefined();
  });

  it.each([
    ['https://vault.azure.net', 'https://vault.azure.net', true],
    ['https://vault.azure.net/', 'https://vault.azure.net', true],
    ['cfa8b339-82a2-471a-a3c9-0fc0be7a4093', 'https://vault.azure.net', true],
    ['https://vault.azure.net', 'https://managedhsm.azure.net', false],
    ['https://vault.azure.net', 'https://vault.azure.cn', false],
    ['https://management.azure.com/', 'https://vault.azure.net', false],
    ['cfa8b339-82a2-471a-a3c9-0fc0be7a4093', 'https://managedhsm.azure.net', false],
  ])('aud %s is for %s: %s', (aud, audience, want) => {
    expect(isForAudience({ audiences: [aud], expiresAt: undefined }, audience)).toBe(want);
  });

  it('an expiry at or before now is a problem naming the setting', () => {
    expect(staticTokenProblem('S', { audiences: [], expiresAt: 1000 }, 1000)).toBe(
      'S expired at 1970-01-01T00:00:01.000Z: make a new one with az account get-access-token',
    );
    expect(staticTokenProblem('S', { audiences: [], expiresAt: 1001 }, 1000)).toBeUndefined();
  });

  it('KVPROBE_ACCESS_TOKEN: its real exp, not an hour from now; refused once expired', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const ok = await staticTokenCredential(jwt({ aud: 'https://management.azure.com/', exp })).getToken('x');
    expect(ok?.expiresOnTimestamp).toBe(exp * 1000);
    const expired = staticTokenCredential(jwt({ aud: 'https://management.azure.com/', exp: 1 }));
    await expect(expired.getToken('x')).rejects.toMatchObject({
      name: 'CredentialUnavailableError',
      message: expect.stringMatching(/^KVPROBE_ACCESS_TOKEN expired at 1970-01-01T00:00:01\.000Z/) as unknown,
    });
  });
});
