import { randomUUID } from 'node:crypto';
import { LAB_TENANT_ID } from './identity';

/** The tenant the lab's identities and vaults live in, unless a scenario puts a vault in another. */
export const LAB_TENANT = LAB_TENANT_ID;

/** The claims the lab's services read from a bearer token. */
export interface LabTokenClaims {
  readonly aud: string;
  readonly tid: string;
  readonly oid: string;
  readonly appid: string;
  readonly exp: number;
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * A token shaped like an Entra access token (header.payload.signature, base64url JSON), with the claims Key Vault
 * judges (aud, tid, oid, appid, iss). The signature is a placeholder: the lab reads claims, it does not verify keys.
 */
export function mintLabToken(claims: Partial<LabTokenClaims> & { aud: string }): string {
  const tid = claims.tid ?? LAB_TENANT;
  const payload = {
    aud: claims.aud,
    iss: `https://sts.windows.net/${tid}/`,
    tid,
    oid: claims.oid ?? '0b1e5a5e-0000-4000-8000-00000000b0b0',
    appid: claims.appid ?? '00000000-0000-0000-0000-00000000c11e',
    exp: claims.exp ?? Math.floor(Date.now() / 1000) + 3600,
    uti: randomUUID(),
  };
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'lab' })}.${b64url(payload)}.${Buffer.from('lab-signature').toString('base64url')}`;
}

/** The claims of a lab token, or undefined when the string is not one. */
export function readLabToken(token: string): LabTokenClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const c = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Partial<LabTokenClaims>;
    if (typeof c.aud !== 'string' || typeof c.tid !== 'string') return undefined;
    return { aud: c.aud, tid: c.tid, oid: String(c.oid ?? ''), appid: String(c.appid ?? ''), exp: Number(c.exp ?? 0) };
  } catch {
    return undefined;
  }
}
