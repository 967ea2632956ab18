import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { DEFAULT_HOST, SocketTracker, closeServer, hostPort, listen } from './net';

/** The lab's Entra tenant: every token it issues names it in `tid`. */
export const LAB_TENANT_ID = '72f988bf-0000-4000-8000-000000000000';

/** A security principal the lab knows: an app's managed identity, or a developer signed in with az. */
export interface LabPrincipal {
  /** `appid` / client ID: what ManagedIdentityCredential({ clientId }) and AZURE_CLIENT_ID name. */
  readonly clientId: string;
  /** `oid`: what ARM names in AuthorizationFailed and what role assignments are made to. */
  readonly objectId: string;
  readonly displayName: string;
}

/** What the lab knows of a token it handed out. */
export interface IssuedToken {
  readonly token: string;
  readonly principal: LabPrincipal;
  /** The `resource` it was asked for, exactly as asked (the token's `aud`). */
  readonly audience: string;
  readonly expiresOn: number;
  /** `managed-identity`: through the identity endpoint; `static`: minted for a CLI's KVPROBE_ACCESS_TOKEN. */
  readonly via: 'managed-identity' | 'static';
}

export function newPrincipal(displayName: string): LabPrincipal {
  return { clientId: randomUUID(), objectId: randomUUID(), displayName };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Every token the lab issued, so the emulators that receive one (ARM, ingestion) accept only those, for the right
 * audience. Tokens are shaped like Entra access tokens (header.payload.signature, base64url) with the claims
 * services read (aud, iss, tid, oid, appid, iat, nbf, exp); the signature is random bytes, never checked.
 */
export class TokenAuthority {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(principal: LabPrincipal, audience: string, lifetimeSeconds: number, via: IssuedToken['via']): IssuedToken {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + lifetimeSeconds;
    const header = { typ: 'JWT', alg: 'RS256', kid: 'lab' };
    const payload = {
      aud: audience,
      iss: `https://sts.windows.net/${LAB_TENANT_ID}/`,
      iat: now,
      nbf: now,
      exp,
      tid: LAB_TENANT_ID,
      oid: principal.objectId,
      sub: principal.objectId,
      appid: principal.clientId,
      idtyp: 'app',
      jti: randomUUID(),
    };
    const token = `${b64url(header)}.${b64url(payload)}.${randomBytes(32).toString('base64url')}`;
    const issued: IssuedToken = { token, principal, audience, expiresOn: exp, via };
    this.tokens.set(token, issued);
    return issued;
  }

  /** The token's record when the lab issued it and it has not expired. */
  lookup(token: string): IssuedToken | undefined {
    const t = this.tokens.get(token);
    return t && t.expiresOn * 1000 > Date.now() ? t : undefined;
  }

  all(): IssuedToken[] {
    return [...this.tokens.values()];
  }
}

/** The claims of a JWT-shaped token (no signature check); undefined when it is not one. */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface ManagedIdentityRequestLog {
  timestamp: number;
  method: string;
  path: string;
  apiVersion?: string;
  resource?: string;
  clientId?: string;
  objectId?: string;
  miResId?: string;
  /** Whether X-IDENTITY-HEADER carried the secret. */
  headerOk: boolean;
  status: number;
  /** The principal a token was issued to (200 only). */
  issuedTo?: string;
}

export interface ManagedIdentityOptions {
  host?: string;
  port?: number;
  /** Shared with the emulators that check tokens; a fresh one by default. */
  authority?: TokenAuthority;
  /** The app's system-assigned identity (asked for without client_id), if it has one. */
  systemAssigned?: LabPrincipal;
  /** The app's user-assigned identities (asked for by client_id, object_id/principal_id or mi_res_id). */
  userAssigned?: readonly (LabPrincipal & { readonly resourceId?: string })[];
}

/**
 * The App Service / Functions managed identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), which
 * `@azure/identity` (through MSAL's AppService source) calls over plain HTTP on loopback. It issues tokens only to
 * the identities assigned to the app, only with the right X-IDENTITY-HEADER, for any resource asked for.
 */
export class ManagedIdentityEndpoint {
  /** Value for IDENTITY_ENDPOINT. */
  readonly url: string;
  /** Value for IDENTITY_HEADER; requests must echo it in X-IDENTITY-HEADER. */
  readonly header: string;
  readonly requests: ManagedIdentityRequestLog[] = [];
  readonly authority: TokenAuthority;
  /** Lifetime of issued tokens, in seconds. */
  tokenLifetimeSeconds = 3600;
  /** Resources (audiences) for which no token is issued: a scenario without a data-plane token. */
  refuse: string[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly tracker: SocketTracker,
    host: string,
    port: number,
    private readonly opts: ManagedIdentityOptions,
  ) {
    this.url = `http://${hostPort(host, port)}/msi/token`;
    this.header = randomBytes(16).toString('hex');
    this.authority = opts.authority ?? new TokenAuthority();
  }

  /** Without identities in the options, the app gets a system-assigned identity (as `az webapp identity assign`). */
  static async start(opts: ManagedIdentityOptions = {}): Promise<ManagedIdentityEndpoint> {
    const host = opts.host ?? DEFAULT_HOST;
    const server = http.createServer();
    const tracker = new SocketTracker(server);
    const port = await listen(server, host, opts.port ?? 0);
    const withDefault =
      opts.systemAssigned || (opts.userAssigned?.length ?? 0) > 0
        ? opts
        : { ...opts, systemAssigned: newPrincipal('lab system-assigned identity') };
    const endpoint = new ManagedIdentityEndpoint(server, tracker, host, port, withDefault);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => endpoint.handle(req, res));
    return endpoint;
  }

  /** The environment a process needs for ManagedIdentityCredential to pick this endpoint. */
  env(): { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string } {
    return { IDENTITY_ENDPOINT: this.url, IDENTITY_HEADER: this.header };
  }

  get systemAssigned(): LabPrincipal | undefined {
    return this.opts.systemAssigned;
  }

  get userAssigned(): readonly LabPrincipal[] {
    return this.opts.userAssigned ?? [];
  }

  async stop(): Promise<void> {
    await closeServer(this.server, this.tracker);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://msi.lab.invalid');
    const q = url.searchParams;
    const entry: ManagedIdentityRequestLog = {
      timestamp: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      apiVersion: q.get('api-version') ?? undefined,
      resource: q.get('resource') ?? undefined,
      clientId: q.get('client_id') ?? undefined,
      objectId: q.get('object_id') ?? q.get('principal_id') ?? undefined,
      miResId: q.get('mi_res_id') ?? undefined,
      headerOk: req.headers['x-identity-header'] === this.header,
      status: 0,
    };
    this.requests.push(entry);
    const reply = (status: number, body: unknown): void => {
      entry.status = status;
      const payload = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(payload)),
      });
      res.end(payload);
    };
    // App Service answers errors as { statusCode, message, correlationId } (MSAL's ManagedIdentityErrorResponse).
    const fail = (status: number, message: string): void =>
      reply(status, { statusCode: status, message, correlationId: randomUUID() });

    if (url.pathname !== '/msi/token' || req.method !== 'GET') {
      fail(404, `No managed identity route ${req.method ?? ''} ${url.pathname}.`);
      return;
    }
    if (req.headers['x-identity-header'] === undefined) {
      fail(400, 'The X-IDENTITY-HEADER header is missing.');
      return;
    }
    if (!entry.headerOk) {
      fail(401, 'The X-IDENTITY-HEADER header does not match IDENTITY_HEADER.');
      return;
    }
    if (entry.apiVersion !== '2019-08-01') {
      fail(400, `api-version '${entry.apiVersion ?? ''}' is not supported by this endpoint; use 2019-08-01.`);
      return;
    }
    if (!entry.resource) {
      fail(400, "The 'resource' query parameter is required.");
      return;
    }
    const selectors = [entry.clientId, entry.objectId, entry.miResId].filter((s) => s !== undefined);
    if (selectors.length > 1) {
      fail(400, 'Give only one of client_id, principal_id/object_id and mi_res_id.');
      return;
    }
    const principal = this.principalFor(entry);
    if (!principal) {
      fail(
        400,
        selectors.length === 0
          ? 'This app has no system-assigned managed identity: name a user-assigned one with client_id, principal_id or mi_res_id.'
          : `No managed identity ${selectors[0] ?? ''} is assigned to this app.`,
      );
      return;
    }
    if (this.refuse.some((r) => entry.resource?.replace(/\/$/, '') === r.replace(/\/$/, ''))) {
      // Our assumption of how a token for one audience cannot be had (FACTS.md): the endpoint's error shape, 400.
      fail(400, `No token can be issued for resource ${entry.resource} (lab refusal).`);
      return;
    }
    const issued = this.authority.issue(principal, entry.resource, this.tokenLifetimeSeconds, 'managed-identity');
    entry.issuedTo = principal.clientId;
    reply(200, {
      access_token: issued.token,
      expires_on: String(issued.expiresOn),
      resource: entry.resource,
      token_type: 'Bearer',
      client_id: principal.clientId,
    });
  }

  private principalFor(entry: ManagedIdentityRequestLog): LabPrincipal | undefined {
    const users = this.opts.userAssigned ?? [];
    const eq = (a: string | undefined, b: string | undefined): boolean =>
      a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
    if (entry.clientId !== undefined) return users.find((u) => eq(u.clientId, entry.clientId));
    if (entry.objectId !== undefined) return users.find((u) => eq(u.objectId, entry.objectId));
    if (entry.miResId !== undefined) return users.find((u) => eq(u.resourceId, entry.miResId));
    return this.opts.systemAssigned;
  }
}
