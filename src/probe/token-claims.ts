/**
 * The claims a static bearer token (KVPROBE_ACCESS_TOKEN, KVPROBE_DATAPLANE_TOKEN) says about itself: who it is for
 * and until when. Read without verifying the signature (the service verifies it); used only so the probe never sends
 * a token where it cannot be valid: to another audience, or after it expired.
 */
export interface TokenClaims {
  /** `aud`: one audience, or several. */
  readonly audiences: readonly string[];
  /** `exp`, in ms since the epoch. */
  readonly expiresAt: number | undefined;
}

/** Key Vault's first-party application ID: what `aud` holds in tokens requested for the vault resource by its ID. */
const KEY_VAULT_APP_ID = 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093';

/** The claims of a JWT, or undefined when it is not one (an opaque token says nothing of itself). */
export function tokenClaims(token: string): TokenClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object') return undefined;
  const { aud, exp } = payload as { aud?: unknown; exp?: unknown };
  const audiences =
    typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  return { audiences, expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined };
}

const normal = (audience: string): string => audience.trim().replace(/\/+$/, '').toLowerCase();

/** True when the token's `aud` names `audience` (`https://vault.azure.net`, with or without the trailing slash). */
export function isForAudience(claims: TokenClaims, audience: string): boolean {
  const want = normal(audience);
  return claims.audiences.some(
    (a) => normal(a) === want || (a.toLowerCase() === KEY_VAULT_APP_ID && /^https:\/\/vault\./.test(want)),
  );
}

/**
 * Why a static token from `setting` must not be sent to `audience` now, or undefined when it may be. The text names
 * the setting and never holds the token.
 */
export function staticTokenProblem(
  setting: string,
  claims: TokenClaims | undefined,
  now: number,
  audience?: string,
): string | undefined {
  if (!claims) return `${setting} is not a JWT (value not shown): its audience and expiry cannot be read`;
  if (claims.expiresAt !== undefined && claims.expiresAt <= now)
    return `${setting} expired at ${new Date(claims.expiresAt).toISOString()}: make a new one with az account get-access-token${audience ? ` --resource ${audience}` : ''}`;
  if (audience !== undefined && !isForAudience(claims, audience))
    return `${setting} is for ${claims.audiences.join(', ') || 'no audience'}, not ${audience}: it is not sent there (make one with az account get-access-token --resource ${audience})`;
  return undefined;
}
