import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { RESOURCE_GRAPH_QUERIES, type ResourceGraphQueryName } from '../../src/adapters/resource-graph-queries';
import type { LabPki } from './tls';
import { actionAllowed, operationOf } from './arm-operations';
import { newPrincipal, TokenAuthority, type IssuedToken, type LabPrincipal } from './identity';
import { DEFAULT_HOST, SocketTracker, Timers, closeServer, hostPort, listen } from './net';

/** A resource exactly as ARM puts it on the wire: `id`, `name`, `type`, `location`, nested `properties`. */
export type ArmResource = { id: string; [k: string]: unknown };

export interface ArmFaultRequest {
  method: string;
  /** URL path as the client sent it (original casing, still percent-encoded). */
  path: string;
  /** Query string without the leading `?`. */
  query: string;
}

export interface ArmFault {
  match: (req: ArmFaultRequest) => boolean;
  kind: 'latency' | 'status' | 'reset' | 'truncate' | 'malformed' | 'hang' | 'respond';
  ms?: number;
  status?: number;
  retryAfterSeconds?: number;
  /** How many matching requests the fault applies to; undefined means every one. */
  times?: number;
  // --- issue 11 (hostile ARM): a fault kind whose answer is written by test/lab/hostile-arm.ts. ---
  /** For kind 'respond': writes the whole answer (or none, for a hang). */
  respond?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;
  // --- end issue 11 ---
  /** Count `times` per caller (bearer token's principal), so the CLI and the app each meet the fault. */
  perPrincipal?: boolean;
}

export interface ArmRequestLog {
  method: string;
  path: string;
  query: string;
  timestamp: number;
  /** HTTP status sent, or 0 while pending and when no status line was ever sent (reset, hang). */
  status: number;
  fault?: ArmFault['kind'];
  /** Request body as text, for requests that carry one (Resource Graph queries); cut at 64 KiB. */
  body?: string;
  /** `<METHOD> <resource type>` (see arm-operations.ts), for every request that got past the faults. */
  operation?: string;
  /** The RBAC action checked: a string, null when none is needed, undefined when the operation is unknown. */
  action?: string | null;
  /** Client ID of the principal whose token authenticated the request. */
  principal?: string;
}

/** A role assignment: the principal may perform `actions` at `scope` and below. */
export interface ArmGrant {
  readonly objectId: string;
  /** `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{name}` (any casing). */
  readonly scope: string;
  readonly actions: readonly string[];
}

/**
 * Resource Graph's per-user query quota: at most `limit` queries in a window of `windowMs`, the window
 * starting with the first query after the previous one ended (the service documents 15 per 5 seconds).
 */
export interface ResourceGraphQuota {
  limit: number;
  windowMs: number;
}

export interface ArmEmulatorOptions {
  pki: LabPki;
  host?: string;
  port?: number;
  pageSize?: number;
  requireBearer?: boolean;
  /** Who issued the tokens ARM accepts (share the managed identity endpoint's); a fresh one by default. */
  authority?: TokenAuthority;
  latencyMs?: number;
  /** See {@link ArmEmulator.resourceGraphPageSize}. */
  resourceGraphPageSize?: number;
  /** See {@link ArmEmulator.resourceGraphQuota}. */
  resourceGraphQuota?: ResourceGraphQuota;
}

interface StoredResource {
  resource: ArmResource;
  subscription?: string;
  resourceGroup?: string;
  /** Lower-cased id minus its last type/name pair: what a child-collection URL names. */
  parent: string;
  typeSegment: string;
  /** Lower-cased ARM type, e.g. `microsoft.network/privatednszones/a`. */
  fullType: string;
}

interface ActiveFault {
  fault: ArmFault;
  remaining: number | undefined;
  /** For perPrincipal faults: what is left per principal. */
  remainingBy: Map<string, number>;
}

function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

function lower(segments: string[]): string {
  return `/${segments.join('/')}`.toLowerCase();
}

/**
 * `Microsoft.Network/privateDnsZones/A` for a record-set id. Extension resources restart the type at
 * their own `providers` segment, which is why the last one wins.
 */
function typeAndQualifiedName(segments: string[]): { type: string; qualifiedName: string } {
  let providersAt = -1;
  for (let i = 0; i < segments.length; i += 2) if (segments[i]?.toLowerCase() === 'providers') providersAt = i;
  if (providersAt < 0) {
    const kind = segments.length <= 2 ? 'subscriptions' : 'resourceGroups';
    return { type: `Microsoft.Resources/${kind}`, qualifiedName: `Microsoft.Resources/${kind}/${segments.at(-1) ?? ''}` };
  }
  const namespace = segments[providersAt + 1] ?? '';
  const rest = segments.slice(providersAt + 2);
  const types = rest.filter((_, i) => i % 2 === 0);
  return { type: [namespace, ...types].join('/'), qualifiedName: [namespace, ...rest].join('/') };
}

function parseResourceId(id: string): Omit<StoredResource, 'resource'> {
  const segments = segmentsOf(id);
  if (!id.startsWith('/') || segments.length < 2 || segments.length % 2 !== 0) {
    throw new Error(`not an ARM resource id (expected /subscriptions/{id}/...): ${id}`);
  }
  const isSub = segments[0]?.toLowerCase() === 'subscriptions';
  const hasRg = isSub && segments[2]?.toLowerCase() === 'resourcegroups';
  return {
    subscription: isSub ? segments[1]?.toLowerCase() : undefined,
    resourceGroup: hasRg ? segments[3]?.toLowerCase() : undefined,
    parent: lower(segments.slice(0, -2)),
    typeSegment: (segments.at(-2) ?? '').toLowerCase(),
    fullType: typeAndQualifiedName(segments).type.toLowerCase(),
  };
}

// Codes ARM (or its gateways) use for these statuses, so clients that branch on error.code see real ones.
const ERROR_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'AuthenticationFailed',
  403: 'AuthorizationFailed',
  404: 'ResourceNotFound',
  408: 'RequestTimeout',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** issue 10: Dns Forwarding Rulesets - List By Virtual Network (a POST). */
const RULESETS_BY_VNET = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/listDnsForwardingRulesets\/?$/i;

/** Resource Graph's query API, matched case-insensitively like every ARM path. */
const RESOURCE_GRAPH_PATH = '/providers/microsoft.resourcegraph/resources';
/** api-versions ARM routes to `Microsoft.ResourceGraph/resources`; @azure/arm-resourcegraph 5.0.0 sends 2024-04-01. */
const RESOURCE_GRAPH_API_VERSIONS = ['2018-09-01-preview', '2019-04-01', '2020-04-01-preview', '2021-03-01', '2022-10-01', '2024-04-01'];
/** Resource Graph's own limit for `$top`, and the page size when a request names none. */
const RESOURCE_GRAPH_MAX_TOP = 1000;
const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const LOGGED_BODY_CHARS = 64 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The api-versions ARM routes, per provider namespace or resource type (the longest matching key wins), from the
 * stable and preview folders of azure-rest-api-specs. Anything else is refused as ARM refuses it.
 */
const API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'microsoft.keyvault': ['2015-06-01', '2016-10-01', '2018-02-14', '2019-09-01', '2021-04-01-preview', '2021-06-01-preview', '2021-10-01', '2021-11-01-preview', '2022-02-01-preview', '2022-07-01', '2022-11-01', '2023-02-01', '2023-07-01', '2023-08-01-preview', '2024-04-01-preview', '2024-11-01', '2024-12-01-preview', '2025-05-01', '2026-02-01'],
  'microsoft.network': ['2022-07-01', '2022-09-01', '2022-11-01', '2023-02-01', '2023-04-01', '2023-05-01', '2023-06-01', '2023-09-01', '2023-11-01', '2024-01-01', '2024-03-01', '2024-05-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-03-01', '2025-05-01', '2026-01-01'],
  'microsoft.network/privatednszones': ['2018-09-01', '2020-01-01', '2020-06-01', '2024-06-01'],
  // DNS Private Resolver (inbound endpoints, forwarding rulesets and their rules and VNet links).
  'microsoft.network/dnsresolvers': ['2020-04-01-preview', '2022-07-01', '2023-07-01-preview', '2025-05-01', '2025-10-01-preview'],
  'microsoft.network/dnsforwardingrulesets': ['2020-04-01-preview', '2022-07-01', '2023-07-01-preview', '2025-05-01', '2025-10-01-preview'],
  'microsoft.resources': ['2015-11-01', '2016-02-01', '2016-06-01', '2016-09-01', '2017-05-10', '2018-05-01', '2019-05-01', '2019-10-01', '2020-01-01', '2020-06-01', '2021-01-01', '2021-04-01', '2022-09-01', '2022-12-01', '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-04-01'],
};
/** What ARM accepts as an api-version at all: a date, optionally with a suffix such as -preview. */
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

/** ARM's own audiences: a token for any of them is accepted (the lab's URL stands for management.azure.com). */
const ARM_AUDIENCES = ['https://management.azure.com', 'https://management.azure.com/', 'https://management.core.windows.net', 'https://management.core.windows.net/'];

/** ARM's per-principal, per-subscription token bucket for reads: 250 tokens, refilled at 25 per second. */
const READ_BUCKET = { size: 250, refillPerSecond: 25 };
/** The global bucket of a subscription (all principals): 15 times the principal's. */
const GLOBAL_READ_BUCKET = { size: 3750, refillPerSecond: 375 };

/**
 * What each of the probe's queries selects. Keyed by query name, so a query added to
 * RESOURCE_GRAPH_QUERIES does not compile until the lab answers it too.
 */
const RESOURCE_GRAPH_SELECTORS: Record<ResourceGraphQueryName, (r: StoredResource) => boolean> = {
  vaults: (r) => r.fullType === 'microsoft.keyvault/vaults',
  // issue 10: Resource Graph lists Managed HSMs too.
  managedHsms: (r) => r.fullType === 'microsoft.keyvault/managedhsms',
  privateEndpoints: (r) => r.fullType === 'microsoft.network/privateendpoints',
  networkInterfaces: (r) => {
    if (r.fullType !== 'microsoft.network/networkinterfaces') return false;
    const properties = r.resource['properties'];
    if (typeof properties !== 'object' || properties === null) return false;
    // KQL's isnotnull(properties.privateEndpoint): property names are case-sensitive there.
    const pe = (properties as Record<string, unknown>)['privateEndpoint'];
    return pe !== undefined && pe !== null;
  },
};

const RESOURCE_GRAPH_QUERY_TEXTS = new Map<string, ResourceGraphQueryName>(
  (Object.keys(RESOURCE_GRAPH_QUERIES) as ResourceGraphQueryName[]).map((name) => [RESOURCE_GRAPH_QUERIES[name], name]),
);

/** The columns every one of the probe's queries projects, with Resource Graph's column types. */
const RESOURCE_GRAPH_COLUMNS = [
  { name: 'id', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'subscriptionId', type: 'string' },
  { name: 'resourceGroup', type: 'string' },
  { name: 'properties', type: 'object' },
] as const;

type ResourceGraphRow = Record<(typeof RESOURCE_GRAPH_COLUMNS)[number]['name'], unknown>;

interface ResourceGraphSkipToken {
  /** Fingerprint of query + scope, so a token is not replayed against another query. */
  f: string;
  /** Offset of the next row. */
  o: number;
}

/** `hh:mm:ss`, as x-ms-user-quota-resets-after carries it. */
function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string array field of a request body; `undefined` when absent, `null` when present but not strings. */
function stringArray(value: unknown): string[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return null;
  return value;
}

/**
 * Collects a request body without ever rejecting: a reset or aborted request resolves with what arrived.
 * Reading also drains the socket, which keeps keep-alive connections usable.
 */
function readBody(req: http.IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const done = (): void => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('end', done);
    req.once('error', done);
    req.once('close', done);
  });
}

/**
 * Azure Resource Manager over HTTPS for the handful of read calls the probe makes. Resources are stored
 * in wire shape and served back verbatim, so the real SDK deserialisers run against them.
 */
export class ArmEmulator {
  readonly url: string;
  readonly requests: ArmRequestLog[] = [];
  /** Bearer token of the most recent authenticated request (without the `Bearer ` prefix). */
  lastAuthorization: string | undefined;
  /** Added to every request before it is answered. */
  latencyMs: number;
  pageSize: number;
  requireBearer: boolean;
  /**
   * Most rows per Resource Graph page whatever `$top` asks for (the effective page is the smaller of the
   * two), so a test can page with a handful of resources. Defaults to Resource Graph's 1000.
   */
  resourceGraphPageSize: number;
  /** Every POST that reached the Resource Graph path, whatever it was answered (faults and 429s included). */
  resourceGraphRequests = 0;
  /** Tokens ARM accepts: those this authority issued, for an ARM audience, not expired. */
  readonly authority: TokenAuthority;
  /** Role assignments; a request whose action no grant allows at its scope gets 403 AuthorizationFailed. */
  readonly grants: ArmGrant[] = [];
  /**
   * When set, Resource Graph answers at most this many rows with resultTruncated "true" and no $skipToken, as it
   * does for results it cannot page.
   */
  resourceGraphTruncateAt: number | undefined;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  private readonly store = new Map<string, StoredResource>();
  private readonly subscriptions = new Set<string>();
  /** Lower-cased management group id -> lower-cased subscription ids. */
  private readonly managementGroups = new Map<string, Set<string>>();
  private rgQuota: ResourceGraphQuota = { limit: 15, windowMs: 5000 };
  private rgWindow: { startedAt: number; used: number } | undefined;
  private faults: ActiveFault[] = [];
  private readonly timers = new Timers();

  private constructor(
    private readonly server: https.Server,
    private readonly tracker: SocketTracker,
    host: string,
    port: number,
    opts: ArmEmulatorOptions,
  ) {
    this.url = `https://${hostPort(host, port)}`;
    this.pageSize = Math.max(1, opts.pageSize ?? 2);
    this.requireBearer = opts.requireBearer ?? true;
    this.authority = opts.authority ?? new TokenAuthority();
    this.latencyMs = opts.latencyMs ?? 0;
    this.resourceGraphPageSize = opts.resourceGraphPageSize ?? RESOURCE_GRAPH_MAX_TOP;
    if (opts.resourceGraphQuota) this.resourceGraphQuota = opts.resourceGraphQuota;
  }

  /**
   * Resource Graph's per-user quota (default 15 queries per 5 s, as the service documents). Every query
   * takes one; when none is left the answer is 429 with Retry-After, until the window ends and the quota
   * refills in full. Assigning a new quota starts a fresh window.
   */
  get resourceGraphQuota(): ResourceGraphQuota {
    return { ...this.rgQuota };
  }

  set resourceGraphQuota(quota: ResourceGraphQuota) {
    if (!Number.isInteger(quota.limit) || quota.limit < 0) throw new Error(`resourceGraphQuota.limit must be an integer >= 0, got ${quota.limit}`);
    if (!Number.isFinite(quota.windowMs) || quota.windowMs <= 0) throw new Error(`resourceGraphQuota.windowMs must be > 0, got ${quota.windowMs}`);
    this.rgQuota = { limit: quota.limit, windowMs: quota.windowMs };
    this.rgWindow = undefined;
  }

  static async start(opts: ArmEmulatorOptions): Promise<ArmEmulator> {
    const host = opts.host ?? DEFAULT_HOST;
    const { key, cert } = opts.pki.issue(['localhost', host]);
    const server = https.createServer({ key, cert });
    const tracker = new SocketTracker(server);
    const port = await listen(server, host, opts.port ?? 0);
    const emulator = new ArmEmulator(server, tracker, host, port, opts);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      emulator.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) emulator.sendError(res, 500, 'InternalServerError', `lab ARM emulator failed: ${String(err)}`);
      });
    });
    return emulator;
  }

  put(resource: ArmResource): void {
    const parsed = parseResourceId(resource.id);
    this.store.set(resource.id.toLowerCase(), { ...parsed, resource: structuredClone(resource) });
  }

  get(id: string): ArmResource | undefined {
    const entry = this.store.get(id.toLowerCase());
    return entry ? structuredClone(entry.resource) : undefined;
  }

  remove(id: string): void {
    this.store.delete(id.toLowerCase());
  }

  clear(): void {
    this.store.clear();
    this.subscriptions.clear();
    this.managementGroups.clear();
  }

  /** Makes an empty subscription visible; otherwise only subscriptions that hold resources exist. */
  addSubscription(subscriptionId: string): void {
    this.subscriptions.add(subscriptionId.toLowerCase());
  }

  /**
   * Registers a management group (by its id, the name Resource Graph takes in `managementGroups`) and
   * the subscriptions under it; a query scoped to it sees their resources. The subscriptions become
   * visible like addSubscription()'s. Calling it again for the same id replaces its subscriptions.
   */
  addManagementGroup(id: string, subscriptionIds: string[]): void {
    const subs = new Set(subscriptionIds.map((s) => s.toLowerCase()));
    for (const s of subs) this.subscriptions.add(s);
    this.managementGroups.set(id.toLowerCase(), subs);
  }

  /** A role assignment of `actions` to the principal at `scope` (a subscription or resource group ID). */
  grant(principal: LabPrincipal, scope: string, actions: readonly string[]): void {
    this.grants.push({ objectId: principal.objectId, scope: scope.toLowerCase().replace(/\/+$/, ''), actions: [...actions] });
  }

  /** A token for `principal` that ARM accepts, as `az account get-access-token` would give a developer. */
  staticToken(principal: LabPrincipal, lifetimeSeconds = 3600): string {
    return this.authority.issue(principal, 'https://management.azure.com/', lifetimeSeconds, 'static').token;
  }

  /**
   * For tests of the emulator itself and the benchmark: a token of a fresh principal that may perform `actions`
   * (default every read) everywhere (a role assignment at the root scope `/`).
   */
  trustedToken(actions: readonly string[] = ['*/read'], name = 'lab test client'): string {
    const principal = newPrincipal(name);
    this.grant(principal, '/', actions);
    return this.staticToken(principal);
  }

  addFault(fault: ArmFault): void {
    this.faults.push({ fault, remaining: fault.times, remainingBy: new Map() });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async stop(): Promise<void> {
    this.timers.stop();
    await closeServer(this.server, this.tracker);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://arm.lab.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: ArmRequestLog = { method, path: url.pathname, query: url.search.slice(1), timestamp: Date.now(), status: 0 };
    this.requests.push(entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
    });
    // Always read the body: Resource Graph queries carry one, and draining keeps keep-alive sockets usable.
    const body = readBody(req);
    const isResourceGraph = method === 'POST' && url.pathname.toLowerCase().replace(/\/+$/, '') === RESOURCE_GRAPH_PATH;
    if (isResourceGraph) this.resourceGraphRequests += 1;

    // Faults stand for the network and gateways in front of ARM, so they fire before authentication.
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claimed = bearer ? this.authority.lookup(bearer)?.principal : undefined;
    const faultCaller = claimed?.objectId ?? '';
    // Who sent it, even when a fault answers before authentication (the token is checked properly below).
    if (claimed) entry.principal = claimed.clientId;
    const { delayMs, latencyFault, terminal } = this.pickFaults({ method, path: entry.path, query: entry.query }, faultCaller);
    if (terminal) entry.fault = terminal.kind;
    else if (latencyFault) entry.fault = 'latency';
    if (delayMs > 0 && !(await this.timers.sleep(delayMs))) return;
    if (res.destroyed) return;

    if (terminal) {
      this.applyFault(terminal, req, res, entry);
      return;
    }

    let caller: IssuedToken | undefined;
    if (this.requireBearer) {
      const auth = req.headers.authorization ?? '';
      const match = /^Bearer\s+(\S.*)$/i.exec(auth);
      if (!match) {
        res.setHeader(
          'WWW-Authenticate',
          'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="no bearer token"',
        );
        this.sendError(res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
        return;
      }
      this.lastAuthorization = match[1];
      caller = this.authority.lookup(match[1] ?? '');
      if (!caller) {
        this.sendError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.');
        return;
      }
      const audiences = [this.url, `${this.url}/`, ...ARM_AUDIENCES];
      if (!audiences.includes(caller.audience)) {
        this.sendError(
          res,
          401,
          'InvalidAuthenticationTokenAudience',
          `The access token has been obtained for wrong audience or resource '${caller.audience}'. It should exactly match with one of the allowed audiences '${audiences.join("','")}'.`,
        );
        return;
      }
      entry.principal = caller.principal.clientId;
    }

    const operation = operationOf(method, url.pathname);
    entry.operation = operation.key;
    entry.action = operation.action;
    if (method === 'GET' && !this.checkApiVersion(url, res)) return;
    // A subscription ARM does not know is a 404 SubscriptionNotFound whoever asks (route() answers it).
    const namedSubscription = segmentsOf(url.pathname)[0]?.toLowerCase() === 'subscriptions' ? segmentsOf(url.pathname)[1]?.toLowerCase() : undefined;
    const unknownSubscription = namedSubscription !== undefined && !this.knownSubscriptions().has(namedSubscription);
    if (caller && !unknownSubscription) {
      this.setRateLimitHeaders(res, caller, url.pathname);
      const action = operation.action === undefined ? `${operation.key.split(' ')[1] ?? ''}/read` : operation.action;
      if (action !== null && !this.allowed(caller.principal, action, operation.scope)) {
        const oid = caller.principal.objectId;
        this.sendError(
          res,
          403,
          'AuthorizationFailed',
          `The client '${oid}' with object id '${oid}' does not have authorization to perform action '${action}' over scope '${operation.scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
        return;
      }
    }

    if (isResourceGraph) {
      await this.answerResourceGraph(url, body, res, entry, caller);
      return;
    }
    // issue 10: DNS Private Resolver, the one POST read besides Resource Graph (see answerRulesetsByVnet).
    if (method === 'POST' && RULESETS_BY_VNET.test(url.pathname)) {
      this.answerRulesetsByVnet(url, res);
      return;
    }
    if (method !== 'GET') {
      this.sendError(res, 405, 'MethodNotAllowed', `The lab ARM emulator only serves GET (and POST ${RESOURCE_GRAPH_PATH}); got ${method} ${entry.path}.`);
      return;
    }
    this.route(url, res, caller);
  }

  /**
   * POST /providers/Microsoft.ResourceGraph/resources: the probe's three queries, answered from the
   * resource store, with Resource Graph's paging, scope rules, quota headers and error shapes.
   */
  private async answerResourceGraph(
    url: URL,
    bodyPromise: Promise<{ text: string; tooLarge: boolean }>,
    res: http.ServerResponse,
    entry: ArmRequestLog,
    caller: IssuedToken | undefined,
  ): Promise<void> {
    const body = await bodyPromise;
    if (res.destroyed) return;
    entry.body = body.text.length > LOGGED_BODY_CHARS ? body.text.slice(0, LOGGED_BODY_CHARS) : body.text;

    // ARM itself checks the api-version before the request reaches the provider (and its quota).
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) {
      this.sendError(res, 400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    if (!RESOURCE_GRAPH_API_VERSIONS.includes(apiVersion.toLowerCase())) {
      this.sendError(
        res,
        400,
        'NoRegisteredProviderFound',
        `No registered resource provider found for location 'global' and API version '${apiVersion}' for type 'resources'. The supported api-versions are '${RESOURCE_GRAPH_API_VERSIONS.join(', ')}'.`,
      );
      return;
    }

    const quota = this.takeResourceGraphQuota();
    res.setHeader('x-ms-user-quota-remaining', String(quota.remaining));
    res.setHeader('x-ms-user-quota-resets-after', hhmmss(quota.resetsAfterMs));
    if (!quota.granted) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(quota.resetsAfterMs / 1000))));
      this.sendResourceGraphError(
        res,
        429,
        'RateLimiting',
        'RateLimiting',
        'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.',
      );
      return;
    }

    if (body.tooLarge) {
      this.sendResourceGraphError(res, 413, 'RequestEntityTooLarge', 'RequestEntityTooLarge', `The request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes.`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', 'The request content is not valid JSON.');
      return;
    }
    if (!isRecord(parsed) || typeof parsed['query'] !== 'string' || parsed['query'].trim() === '') {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', "The request content must be an object with a non-empty 'query' string.");
      return;
    }
    const query = parsed['query'];
    const queryName = RESOURCE_GRAPH_QUERY_TEXTS.get(query);
    if (queryName === undefined) {
      const message =
        'This is an unsupported query in the lab: the ARM emulator answers only the exact strings in RESOURCE_GRAPH_QUERIES ' +
        `(src/adapters/resource-graph-queries.ts), so the probe's query and the lab have drifted apart. Got: ${JSON.stringify(query.slice(0, 500))}`;
      this.sendJson(res, 400, { error: { code: 'BadRequest', message, details: [{ code: 'InvalidQuery', message }] } });
      return;
    }
    const facets = parsed['facets'];
    if (Array.isArray(facets) && facets.length > 0) {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', 'The lab ARM emulator does not compute facets.');
      return;
    }

    const scope = this.resourceGraphScope(parsed);
    if ('error' in scope) {
      this.sendResourceGraphError(res, 400, 'BadRequest', scope.error.code, scope.error.message);
      return;
    }

    const options = parsed['options'] === undefined || parsed['options'] === null ? {} : parsed['options'];
    if (!isRecord(options)) {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', "'options' must be an object.");
      return;
    }
    const top = options['$top'] ?? RESOURCE_GRAPH_MAX_TOP;
    if (typeof top !== 'number' || !Number.isInteger(top) || top < 1 || top > RESOURCE_GRAPH_MAX_TOP) {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', `'$top' must be an integer from 1 to ${RESOURCE_GRAPH_MAX_TOP}; got ${JSON.stringify(top)}.`);
      return;
    }
    const skip = options['$skip'];
    if (skip !== undefined && skip !== null && (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0)) {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', `'$skip' must be an integer >= 0; got ${JSON.stringify(skip)}.`);
      return;
    }
    const resultFormat = options['resultFormat'] ?? (apiVersion.toLowerCase() < '2021-03-01' ? 'table' : 'objectArray');
    if (resultFormat !== 'objectArray' && resultFormat !== 'table') {
      this.sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', `'resultFormat' must be 'objectArray' or 'table'; got ${JSON.stringify(resultFormat)}.`);
      return;
    }

    const fingerprint = createHash('sha256').update(JSON.stringify([query, scope.kind, [...scope.subscriptions].sort()])).digest('hex').slice(0, 16);
    let offset = 0;
    const rawToken = options['$skipToken'];
    if (rawToken !== undefined && rawToken !== null && rawToken !== '') {
      const token = typeof rawToken === 'string' ? this.decodeSkipToken(rawToken) : undefined;
      if (token === undefined || token.f !== fingerprint) {
        this.sendResourceGraphError(
          res,
          400,
          'BadRequest',
          'InvalidSkipToken',
          'The $skipToken is not one this emulator issued for this query and scope; pass it back with the same query and scopes.',
        );
        return;
      }
      offset = token.o;
    }
    if (typeof skip === 'number') offset = skip;

    const rows = [...this.store.entries()]
      .filter(([, r]) => r.subscription !== undefined && scope.subscriptions.has(r.subscription) && RESOURCE_GRAPH_SELECTORS[queryName](r))
      // Resource Graph returns only what the caller may read.
      .filter(([id, r]) => caller === undefined || this.allowed(caller.principal, `${typeAndQualifiedName(segmentsOf(r.resource.id)).type}/read`, id))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => this.resourceGraphRow(r));
    const pageSize = Math.max(1, Math.min(top, Math.floor(this.resourceGraphPageSize)));
    const truncated = this.resourceGraphTruncateAt !== undefined && rows.length > this.resourceGraphTruncateAt;
    const page = truncated ? rows.slice(0, this.resourceGraphTruncateAt) : rows.slice(offset, offset + pageSize);
    const next = offset + page.length;
    const response: Record<string, unknown> = {
      totalRecords: rows.length,
      count: page.length,
      // Resource Graph sends the flag as a string; "true" when it could not page the result.
      resultTruncated: truncated ? 'true' : 'false',
    };
    if (!truncated && next < rows.length) {
      response['$skipToken'] = Buffer.from(JSON.stringify({ f: fingerprint, o: next } satisfies ResourceGraphSkipToken)).toString('base64url');
    }
    response['data'] =
      resultFormat === 'table'
        ? { columns: RESOURCE_GRAPH_COLUMNS.map((c) => ({ ...c })), rows: page.map((row) => RESOURCE_GRAPH_COLUMNS.map((c) => row[c.name])) }
        : page;
    response['facets'] = [];
    this.sendJson(res, 200, response);
  }

  /** Takes one query from the quota window, starting a new window when the last one has ended. */
  private takeResourceGraphQuota(): { granted: boolean; remaining: number; resetsAfterMs: number } {
    const now = Date.now();
    if (this.rgWindow === undefined || now - this.rgWindow.startedAt >= this.rgQuota.windowMs) {
      this.rgWindow = { startedAt: now, used: 0 };
    }
    const resetsAfterMs = this.rgWindow.startedAt + this.rgQuota.windowMs - now;
    if (this.rgWindow.used >= this.rgQuota.limit) return { granted: false, remaining: 0, resetsAfterMs };
    this.rgWindow.used += 1;
    return { granted: true, remaining: this.rgQuota.limit - this.rgWindow.used, resetsAfterMs };
  }

  /**
   * The subscriptions a query covers. Like Resource Graph: subscriptions the caller cannot see are skipped
   * silently, and only a scope with none left is an error; no scope at all means the whole tenant.
   */
  private resourceGraphScope(
    request: Record<string, unknown>,
  ): { kind: 'subscriptions' | 'managementGroups' | 'tenant'; subscriptions: Set<string> } | { error: { code: string; message: string } } {
    const subscriptions = stringArray(request['subscriptions']);
    const managementGroups = stringArray(request['managementGroups']);
    if (subscriptions === null || managementGroups === null) {
      return { error: { code: 'InvalidRequestContent', message: "'subscriptions' and 'managementGroups' must be arrays of strings." } };
    }
    const known = this.knownSubscriptions();
    const hasSubs = subscriptions !== undefined && subscriptions.length > 0;
    const hasGroups = managementGroups !== undefined && managementGroups.length > 0;
    if (hasSubs && hasGroups) {
      return {
        error: {
          code: 'InvalidRequestContent',
          message: "The lab ARM emulator takes either 'subscriptions' or 'managementGroups' in one query, not both.",
        },
      };
    }
    if (hasSubs) {
      const invalid = subscriptions.filter((s) => !GUID.test(s));
      if (invalid.length > 0) {
        return { error: { code: 'SubscriptionsContainInvalidGuids', message: `The provided subscriptions must be valid GUIDs. Given: '${invalid.join("', '")}'.` } };
      }
      const valid = new Set(subscriptions.map((s) => s.toLowerCase()).filter((s) => known.has(s)));
      if (valid.size === 0) {
        return { error: { code: 'NoValidSubscriptionsInQueryRequest', message: 'There must be at least one subscription that is eligible to contain resources.' } };
      }
      return { kind: 'subscriptions', subscriptions: valid };
    }
    if (hasGroups) {
      const valid = new Set<string>();
      for (const group of managementGroups) {
        const subs = this.managementGroups.get(group.toLowerCase());
        if (subs === undefined) {
          return { error: { code: 'ManagementGroupsContainInvalidIds', message: `The provided management groups must be valid. Given: '${group}'.` } };
        }
        for (const s of subs) valid.add(s);
      }
      if (valid.size === 0) {
        return { error: { code: 'NoValidSubscriptionsInQueryRequest', message: `Management group ${managementGroups.join(', ')} does not have any valid subscriptions.` } };
      }
      return { kind: 'managementGroups', subscriptions: valid };
    }
    if (known.size === 0) {
      return { error: { code: 'NoValidSubscriptionsInQueryRequest', message: 'There must be at least one subscription that is eligible to contain resources.' } };
    }
    return { kind: 'tenant', subscriptions: known };
  }

  private decodeSkipToken(token: string): ResourceGraphSkipToken | undefined {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (!isRecord(decoded) || typeof decoded['f'] !== 'string' || typeof decoded['o'] !== 'number' || !Number.isInteger(decoded['o']) || decoded['o'] < 0) {
        return undefined;
      }
      return { f: decoded['f'], o: decoded['o'] };
    } catch {
      return undefined;
    }
  }

  /** A row as the probe's queries project it, taken from the stored wire JSON (`type` as stored). */
  private resourceGraphRow(r: StoredResource): ResourceGraphRow {
    const segments = segmentsOf(r.resource.id);
    const name = r.resource['name'];
    const type = r.resource['type'];
    const properties = r.resource['properties'];
    return {
      id: r.resource.id,
      name: typeof name === 'string' ? name : segments.at(-1) ?? '',
      // Resource Graph lower-cases the type column (see ResourcesBasicQuery.json in azure-rest-api-specs).
      type: (typeof type === 'string' ? type : typeAndQualifiedName(segments).type).toLowerCase(),
      subscriptionId: segments[1] ?? '',
      // Resource Graph lower-cases this column whatever the id's casing.
      resourceGroup: r.resourceGroup ?? '',
      properties: properties === undefined ? null : structuredClone(properties),
    };
  }

  /** Resource Graph's error shape: a generic message with a correlation id, the reason in `details`. */
  private sendResourceGraphError(res: http.ServerResponse, status: number, code: string, detailCode: string, detailMessage: string): void {
    const requestId = randomUUID();
    const message = `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${requestId}.`;
    this.sendJson(res, status, { error: { code, message, details: [{ code: detailCode, message: detailMessage }] } }, requestId);
  }

  private pickFaults(req: ArmFaultRequest, caller: string): { delayMs: number; latencyFault: boolean; terminal: ArmFault | undefined } {
    let delayMs = this.latencyMs;
    let latencyFault = false;
    for (const active of this.faults) {
      const perPrincipal = active.fault.perPrincipal === true && active.fault.times !== undefined;
      if (perPrincipal && (active.remainingBy.get(caller) ?? active.fault.times ?? 0) <= 0) continue;
      if (!perPrincipal && active.remaining !== undefined && active.remaining <= 0) continue;
      let matched = false;
      try {
        matched = active.fault.match(req);
      } catch {
        matched = false;
      }
      if (!matched) continue;
      if (perPrincipal) active.remainingBy.set(caller, (active.remainingBy.get(caller) ?? active.fault.times ?? 0) - 1);
      else if (active.remaining !== undefined) active.remaining -= 1;
      if (active.fault.kind === 'latency') {
        delayMs += active.fault.ms ?? 0;
        latencyFault = true;
        continue;
      }
      return { delayMs, latencyFault, terminal: active.fault };
    }
    return { delayMs, latencyFault, terminal: undefined };
  }

  private applyFault(fault: ArmFault, req: http.IncomingMessage, res: http.ServerResponse, entry: ArmRequestLog): void {
    switch (fault.kind) {
      case 'latency':
        return;
      case 'status': {
        const status = fault.status ?? 500;
        if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        if (status === 429) {
          // ARM's own throttling: the buckets are empty, and the body says which one and for how long.
          const sub = segmentsOf(entry.path)[1] ?? '';
          res.setHeader('x-ms-ratelimit-remaining-subscription-reads', '0');
          res.setHeader('x-ms-ratelimit-remaining-subscription-global-reads', '0');
          this.sendError(
            res,
            429,
            'SubscriptionRequestsThrottled',
            `Number of 'read' requests for subscription '${sub}' actor 'lab' exceeded. Please try again after '${fault.retryAfterSeconds ?? 1}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
          );
          return;
        }
        this.sendError(res, status, ERROR_CODES[status] ?? `HttpStatus${status}`, `Injected HTTP ${status} from the lab ARM emulator.`);
        return;
      }
      case 'reset':
        // Node clients report this as ECONNRESET ("socket hang up"). A true RST would need the raw TCP
        // socket under the TLS one, and destroying that behind the HTTP server's back crashes its close().
        req.socket.destroy();
        return;
      case 'truncate': {
        const body = Buffer.from(JSON.stringify({ value: [], note: 'this body is cut short on purpose by the lab ARM emulator' }));
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length + 512) });
        entry.status = 200;
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.end());
        return;
      }
      case 'malformed': {
        const body = '<html><body><h1>Bad Gateway</h1><p>not JSON, injected by the lab ARM emulator</p></body></html>';
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
        res.end(body);
        return;
      }
      case 'hang':
        // Never answer; stop() destroys the socket.
        return;
      // --- issue 11 (hostile ARM) ---
      case 'respond':
        fault.respond?.(req, res, new URL(req.url ?? '/', this.url));
        return;
      // --- end issue 11 ---
    }
  }

  private route(url: URL, res: http.ServerResponse, caller: IssuedToken | undefined): void {
    const segments = segmentsOf(url.pathname);
    if (segments.length === 0 || segments[0]?.toLowerCase() !== 'subscriptions') {
      this.sendError(res, 404, 'InvalidResourceNamespace', `The lab ARM emulator does not serve ${url.pathname}.`);
      return;
    }
    if (segments.length === 1) {
      this.listSubscriptions(url, res, caller?.principal);
      return;
    }
    if (segments.length % 2 === 0) this.getResource(segments, res);
    else this.listCollection(segments, url, res);
  }

  private getResource(segments: string[], res: http.ServerResponse): void {
    const idLower = lower(segments);
    const stored = this.store.get(idLower);
    if (stored) {
      this.sendJson(res, 200, stored.resource);
      return;
    }
    const subscription = (segments[1] ?? '').toLowerCase();
    if (segments.length === 2 && this.knownSubscriptions().has(subscription)) {
      this.sendJson(res, 200, this.subscriptionResource(segments[1] ?? ''));
      return;
    }
    if (segments.length === 4 && segments[2]?.toLowerCase() === 'resourcegroups') {
      const implied = this.impliedResourceGroups(subscription).get((segments[3] ?? '').toLowerCase());
      if (implied) {
        this.sendJson(res, 200, implied);
        return;
      }
      this.sendError(res, 404, 'ResourceGroupNotFound', `Resource group '${segments[3] ?? ''}' does not exist in the lab ARM emulator.`);
      return;
    }
    const embedded = this.embeddedChildren(segments.slice(0, -2), segments.at(-2) ?? '')?.find(
      (child) => child.id.toLowerCase() === idLower,
    );
    if (embedded) {
      this.sendJson(res, 200, embedded);
      return;
    }
    if (segments.length === 2) {
      this.sendError(res, 404, 'SubscriptionNotFound', `The subscription '${segments[1] ?? ''}' is not known to the lab ARM emulator.`);
      return;
    }
    const { qualifiedName } = typeAndQualifiedName(segments);
    const rg = segments[2]?.toLowerCase() === 'resourcegroups' ? segments[3] ?? '' : '';
    this.sendError(
      res,
      404,
      'ResourceNotFound',
      `The resource '${qualifiedName}'${rg ? ` in resource group '${rg}'` : ''} was not found by the lab ARM emulator. For more details see https://aka.ms/ARMResourceNotFound`,
    );
  }

  private listCollection(segments: string[], url: URL, res: http.ServerResponse): void {
    const subscription = (segments[1] ?? '').toLowerCase();
    if (!this.knownSubscriptions().has(subscription)) {
      this.sendError(res, 404, 'SubscriptionNotFound', `The subscription '${segments[1] ?? ''}' is not known to the lab ARM emulator.`);
      return;
    }
    const all = [...this.store.values()];
    const lowered = segments.map((s) => s.toLowerCase());
    let items: ArmResource[];

    if (segments.length === 5 && lowered[2] === 'providers') {
      const type = `${lowered[3]}/${lowered[4]}`;
      items = all.filter((r) => r.subscription === subscription && r.fullType === type).map((r) => r.resource);
    } else if (segments.length === 3 && lowered[2] === 'resourcegroups') {
      items = [...this.impliedResourceGroups(subscription).values()];
    } else if ((segments.length === 3 || segments.length === 5) && lowered.at(-1) === 'resources') {
      // Generic resource listing: the one place a $filter changes the answer (vaults.list() relies on it).
      const rg = segments.length === 5 ? lowered[3] : undefined;
      const wantedType = /resourceType\s+eq\s+'([^']+)'/i.exec(url.searchParams.get('$filter') ?? '')?.[1]?.toLowerCase();
      items = all
        .filter((r) => r.subscription === subscription && r.resourceGroup !== undefined && (rg === undefined || r.resourceGroup === rg))
        .filter((r) => r.fullType.split('/').length === 2 && r.fullType !== 'microsoft.resources/resourcegroups')
        .filter((r) => wantedType === undefined || r.fullType === wantedType)
        .map((r) => r.resource);
    } else {
      const parent = lower(segments.slice(0, -1));
      const typeSegment = lowered.at(-1) ?? '';
      items = all.filter((r) => r.parent === parent && r.typeSegment === typeSegment).map((r) => r.resource);
      if (items.length === 0) items = this.embeddedChildren(segments.slice(0, -1), typeSegment) ?? [];
    }
    this.sendPage(url, res, items);
  }

  /**
   * ARM serves some child resources out of the parent's own body (a vault's privateEndpointConnections,
   * a VNet's subnets, a NIC's ipConfigurations). Tests put only the parent, as ARM returns it, so the
   * child URLs are answered from that embedded array.
   */
  private embeddedChildren(parentSegments: string[], childType: string): ArmResource[] | undefined {
    const parent = this.store.get(lower(parentSegments));
    const properties = parent?.resource['properties'];
    if (typeof properties !== 'object' || properties === null) return undefined;
    const key = Object.keys(properties).find((k) => k.toLowerCase() === childType.toLowerCase());
    const children: unknown = key === undefined ? undefined : (properties as Record<string, unknown>)[key];
    if (!Array.isArray(children)) return undefined;
    return children.filter(
      (c): c is ArmResource => typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>)['id'] === 'string',
    );
  }

  private sendPage(url: URL, res: http.ServerResponse, items: unknown[]): void {
    const skip = Math.max(0, Number.parseInt(url.searchParams.get('$skiptoken') ?? '0', 10) || 0);
    const page = items.slice(skip, skip + this.pageSize);
    const body: { value: unknown[]; nextLink?: string } = { value: page };
    if (skip + this.pageSize < items.length) {
      const next = new URLSearchParams(url.searchParams);
      next.set('$skiptoken', String(skip + this.pageSize));
      body.nextLink = `${this.url}${url.pathname}?${next.toString()}`;
    }
    this.sendJson(res, 200, body);
  }

  private knownSubscriptions(): Set<string> {
    const known = new Set(this.subscriptions);
    for (const r of this.store.values()) if (r.subscription) known.add(r.subscription);
    return known;
  }

  private subscriptionResource(subscriptionId: string): ArmResource {
    return {
      id: `/subscriptions/${subscriptionId}`,
      subscriptionId,
      displayName: `lab subscription ${subscriptionId}`,
      state: 'Enabled',
    };
  }

  /** Resource groups that were put explicitly, plus those implied by the ids of stored resources. */
  private impliedResourceGroups(subscription: string): Map<string, ArmResource> {
    const groups = new Map<string, ArmResource>();
    for (const r of this.store.values()) {
      if (r.subscription !== subscription || r.resourceGroup === undefined) continue;
      if (r.fullType === 'microsoft.resources/resourcegroups') {
        groups.set(r.resourceGroup, r.resource);
      } else if (!groups.has(r.resourceGroup)) {
        const segments = segmentsOf(r.resource.id);
        const name = segments[3] ?? r.resourceGroup;
        groups.set(r.resourceGroup, {
          id: `/subscriptions/${segments[1] ?? subscription}/resourceGroups/${name}`,
          name,
          type: 'Microsoft.Resources/resourceGroups',
          location: typeof r.resource['location'] === 'string' ? r.resource['location'] : 'eastus',
          properties: { provisioningState: 'Succeeded' },
        });
      }
    }
    return groups;
  }

  /** Whether a grant allows `action` at `scope` (a grant at a scope covers everything below it). */
  allowed(principal: LabPrincipal, action: string, scope: string): boolean {
    const target = scope.toLowerCase();
    return this.grants.some((g) => g.objectId === principal.objectId && (target === g.scope || target.startsWith(`${g.scope}/`)) && actionAllowed(g.actions, action));
  }

  /** ARM checks the api-version before routing; false when it answered the request with the error. */
  private checkApiVersion(url: URL, res: http.ServerResponse): boolean {
    const version = url.searchParams.get('api-version');
    if (!version) {
      this.sendError(res, 400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
      return false;
    }
    const segments = segmentsOf(url.pathname);
    const { type } = segments.length % 2 === 0 ? typeAndQualifiedName(segments) : typeAndQualifiedName([...segments, 'x']);
    const typeLower = type.toLowerCase();
    const key = Object.keys(API_VERSIONS)
      .filter((k) => typeLower === k || typeLower.startsWith(`${k}/`))
      .sort((a, b) => b.length - a.length)[0];
    const supported = key === undefined ? [] : (API_VERSIONS[key] ?? []);
    if (!API_VERSION_SHAPE.test(version) || (key === 'microsoft.resources' && !supported.includes(version.toLowerCase()))) {
      this.sendError(res, 400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${[...supported].reverse().join(',')}'. Please see https://aka.ms/api-version for details.`);
      return false;
    }
    if (!supported.includes(version.toLowerCase())) {
      const parts = typeLower.split('/');
      this.sendError(
        res,
        400,
        'NoRegisteredProviderFound',
        `No registered resource provider found for location 'westeurope' and API version '${version}' for type '${parts.slice(1).join('/')}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are 'westeurope'.`,
      );
      return false;
    }
    return true;
  }

  /** x-ms-ratelimit-remaining-subscription(-global)-reads from the token buckets of the caller and the subscription. */
  private setRateLimitHeaders(res: http.ServerResponse, caller: IssuedToken, path: string): void {
    const sub = (segmentsOf(path)[1] ?? 'tenant').toLowerCase();
    const take = (key: string, bucket: { size: number; refillPerSecond: number }): number => {
      const now = Date.now();
      const b = this.buckets.get(key) ?? { tokens: bucket.size, at: now };
      b.tokens = Math.min(bucket.size, b.tokens + ((now - b.at) / 1000) * bucket.refillPerSecond);
      b.at = now;
      b.tokens = Math.max(0, b.tokens - 1);
      this.buckets.set(key, b);
      return Math.floor(b.tokens);
    };
    res.setHeader('x-ms-ratelimit-remaining-subscription-reads', String(take(`${sub}|${caller.principal.objectId}`, READ_BUCKET)));
    res.setHeader('x-ms-ratelimit-remaining-subscription-global-reads', String(take(sub, GLOBAL_READ_BUCKET)));
  }
  // ---- issue 10: DNS Private Resolver -------------------------------------------------------------------------
  /**
   * `POST …/virtualNetworks/{vnet}/listDnsForwardingRulesets` (Dns Forwarding Rulesets - List By Virtual Network,
   * 2022-07-01): one `{ id, properties: { virtualNetworkLink: { id } } }` per ruleset with a VNet link to that VNet,
   * taken from the stored `dnsForwardingRulesets/virtualNetworkLinks`. Everything else of the resolver (rulesets,
   * forwarding rules, links, resolvers, inbound endpoints) is plain GETs of stored resources.
   */
  private answerRulesetsByVnet(url: URL, res: http.ServerResponse): void {
    const vnet = lower(segmentsOf(url.pathname).slice(0, -1));
    const items = [...this.store.values()]
      .filter((r) => r.fullType === 'microsoft.network/dnsforwardingrulesets/virtualnetworklinks')
      .filter((r) => {
        const props = r.resource['properties'];
        const target = isRecord(props) && isRecord(props['virtualNetwork']) ? props['virtualNetwork']['id'] : undefined;
        return typeof target === 'string' && target.toLowerCase() === vnet;
      })
      .map((r) => ({ id: r.resource.id.replace(/\/virtualNetworkLinks\/[^/]+$/i, ''), properties: { virtualNetworkLink: { id: r.resource.id } } }));
    this.sendPage(url, res, items);
  }
  // ---- end issue 10 ----------------------------------------------------------------------------------------------

  private sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
    this.sendJson(res, status, { error: { code, message } });
  }

  private sendJson(res: http.ServerResponse, status: number, body: unknown, requestId: string = randomUUID()): void {
    const payload = Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(payload.length),
      'Cache-Control': 'no-cache',
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': requestId,
    });
    res.end(payload);
  }

  // ---- issue 14: GET /subscriptions (the list `kvprobe check` reads when no scope is given) -------------------
  // Shape from the Microsoft.Resources REST spec, SubscriptionClient 2022-12-01 (Subscriptions_List and its
  // GetSubscriptions.json example); see test/lab/FACTS.md, ARM section.

  /** Lower-cased subscription id -> its state, when not Enabled (Warned, PastDue, Disabled, Deleted). */
  private readonly subscriptionStates = new Map<string, string>();
  /** The tenant every lab subscription belongs to. */
  static readonly TENANT_ID = '3c5e9a1d-7b2f-4e6a-9d0c-1f2e3d4c5b6a';

  /** Sets a subscription's `state` as the subscription list reports it (and makes it visible). */
  setSubscriptionState(subscriptionId: string, state: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted'): void {
    this.addSubscription(subscriptionId);
    this.subscriptionStates.set(subscriptionId.toLowerCase(), state);
  }

  /** One `value[]` element of `GET /subscriptions`, with every property the spec's example carries. */
  private subscriptionListItem(subscriptionId: string): ArmResource {
    return {
      id: `/subscriptions/${subscriptionId}`,
      subscriptionId,
      tenantId: ArmEmulator.TENANT_ID,
      displayName: `lab subscription ${subscriptionId}`,
      state: this.subscriptionStates.get(subscriptionId) ?? 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
      authorizationSource: 'RoleBased',
      managedByTenants: [],
    };
  }

  private listSubscriptions(url: URL, res: http.ServerResponse, principal?: LabPrincipal): void {
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) {
      this.sendError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      return;
    }
    if (!SUBSCRIPTIONS_API_VERSIONS.includes(apiVersion)) {
      this.sendError(res, 400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${SUBSCRIPTIONS_API_VERSIONS.join(',')}'.`);
      return;
    }
    // Only the subscriptions where the caller holds a role assignment (at the root or inside the subscription).
    const visible = [...this.knownSubscriptions()].filter(
      (s) => !principal || this.grants.some((g) => g.objectId === principal.objectId && (g.scope === '' || g.scope === '/' || g.scope === `/subscriptions/${s}` || g.scope.startsWith(`/subscriptions/${s}/`))),
    );
    this.sendPage(url, res, visible.sort().map((s) => this.subscriptionListItem(s)));
  }
  // ---- end issue 14 ------------------------------------------------------------------------------------------
}

/** api-versions of Microsoft.Resources' SubscriptionClient that list subscriptions (issue 14). */
const SUBSCRIPTIONS_API_VERSIONS = ['2015-11-01', '2016-06-01', '2018-06-01', '2019-06-01', '2019-11-01', '2020-01-01', '2021-01-01', '2022-12-01'];

export { ManagedIdentityEndpoint, type ManagedIdentityRequestLog } from './identity';
