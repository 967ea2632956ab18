import * as http from 'node:http';
import * as https from 'node:https';
import type { LabPki } from './tls';
import { operationOf } from './arm-operations';
import { ArmFaults, type ArmFault } from './arm-faults';
import { EFFECTIVE_CONNECTIVITY, answerEffectiveConnectivity } from './arm-connectivity';
import { ArmStore, isRecord, lower, segmentsOf, typeAndQualifiedName, type ArmResource } from './arm-store';
import { readBody, recordResponse, sendError, sendJson, sendMissingApiVersion, type ArmRequestLog } from './arm-wire';
import { newPrincipal, TokenAuthority, type IssuedToken, type LabPrincipal } from './identity';
import { DEFAULT_HOST, SocketTracker, Timers, closeServer, hostPort, listen } from './net';
import { ResourceGraphEmulator, type ResourceGraphOptions } from './resource-graph-emulator';

// The emulator's parts live beside it (a file each); their types are re-exported for the files that import them here.
export type { ArmResource, ArmGrant } from './arm-store';
export type { ArmFault, ArmFaultRequest } from './arm-faults';
export type { ArmRequestLog } from './arm-wire';
export type { ResourceGraphQuota } from './resource-graph-emulator';

export interface ArmEmulatorOptions {
  pki: LabPki;
  pageSize?: number;
  /** Who issued the tokens ARM accepts (share the managed identity endpoint's); a fresh one by default. */
  authority?: TokenAuthority;
  latencyMs?: number;
  /** Page size and quota of the Resource Graph query API. */
  resourceGraph?: ResourceGraphOptions;
}

/** issue 10: Dns Forwarding Rulesets - List By Virtual Network (a POST). */
const RULESETS_BY_VNET =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/listDnsForwardingRulesets\/?$/i;

/**
 * The api-versions ARM routes, per provider namespace or resource type (the longest matching key wins), from the
 * stable and preview folders of azure-rest-api-specs. Anything else is refused as ARM refuses it.
 */
const API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'microsoft.keyvault': [
    '2015-06-01',
    '2016-10-01',
    '2018-02-14',
    '2019-09-01',
    '2021-04-01-preview',
    '2021-06-01-preview',
    '2021-10-01',
    '2021-11-01-preview',
    '2022-02-01-preview',
    '2022-07-01',
    '2022-11-01',
    '2023-02-01',
    '2023-07-01',
    '2023-08-01-preview',
    '2024-04-01-preview',
    '2024-11-01',
    '2024-12-01-preview',
    '2025-05-01',
    '2026-02-01',
  ],
  'microsoft.network': [
    '2022-07-01',
    '2022-09-01',
    '2022-11-01',
    '2023-02-01',
    '2023-04-01',
    '2023-05-01',
    '2023-06-01',
    '2023-09-01',
    '2023-11-01',
    '2024-01-01',
    '2024-03-01',
    '2024-05-01',
    '2024-07-01',
    '2024-10-01',
    '2025-01-01',
    '2025-03-01',
    '2025-05-01',
    '2026-01-01',
  ],
  'microsoft.network/privatednszones': ['2018-09-01', '2020-01-01', '2020-06-01', '2024-06-01'],
  // DNS Private Resolver (inbound endpoints, forwarding rulesets and their rules and VNet links).
  'microsoft.network/dnsresolvers': [
    '2020-04-01-preview',
    '2022-07-01',
    '2023-07-01-preview',
    '2025-05-01',
    '2025-10-01-preview',
  ],
  // The DNS Private Resolver's list of the rulesets linked to a VNet is served by that provider, at its versions.
  'microsoft.network/virtualnetworks/listdnsforwardingrulesets': [
    '2020-04-01-preview',
    '2022-07-01',
    '2023-07-01-preview',
    '2025-05-01',
    '2025-10-01-preview',
  ],
  'microsoft.network/dnsforwardingrulesets': [
    '2020-04-01-preview',
    '2022-07-01',
    '2023-07-01-preview',
    '2025-05-01',
    '2025-10-01-preview',
  ],
  'microsoft.resources': [
    '2015-11-01',
    '2016-02-01',
    '2016-06-01',
    '2016-09-01',
    '2017-05-10',
    '2018-05-01',
    '2019-05-01',
    '2019-10-01',
    '2020-01-01',
    '2020-06-01',
    '2021-01-01',
    '2021-04-01',
    '2022-09-01',
    '2022-12-01',
    '2023-07-01',
    '2024-03-01',
    '2024-07-01',
    '2024-11-01',
    '2025-04-01',
  ],
};
/** What ARM accepts as an api-version at all: a date, optionally with a suffix such as -preview. */
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

/** ARM's own audiences: a token for any of them is accepted (the lab's URL stands for management.azure.com). */
const ARM_AUDIENCES = [
  'https://management.azure.com',
  'https://management.azure.com/',
  'https://management.core.windows.net',
  'https://management.core.windows.net/',
];

/** ARM's per-principal, per-subscription token bucket for reads: 250 tokens, refilled at 25 per second. */
const READ_BUCKET = { size: 250, refillPerSecond: 25 };
/** The global bucket of a subscription (all principals): 15 times the principal's. */
const GLOBAL_READ_BUCKET = { size: 3750, refillPerSecond: 375 };

/**
 * Azure Resource Manager over HTTPS for the handful of read calls the probe makes. Resources are stored
 * in wire shape and served back verbatim, so the real SDK deserialisers run against them. Faults in front of it are
 * in arm-faults.ts, the Resource Graph query API in resource-graph-emulator.ts.
 */
export class ArmEmulator {
  readonly url: string;
  readonly requests: ArmRequestLog[] = [];
  /** Bearer token of the most recent authenticated request (without the `Bearer ` prefix). */
  lastAuthorization: string | undefined;
  /** Added to every request before it is answered. */
  latencyMs: number;
  pageSize: number;
  /** Tokens ARM accepts: those this authority issued, for an ARM audience, not expired. */
  readonly authority: TokenAuthority;
  /** Resource Graph's query API (POST /providers/Microsoft.ResourceGraph/resources). */
  readonly resourceGraph: ResourceGraphEmulator;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly store = new ArmStore();
  private readonly faults = new ArmFaults();
  private readonly timers = new Timers();
  /** TLS handshakes completed with clients (the bench's CPU floor repeats as many). */
  tlsHandshakes = 0;
  /** When set, each request's log entry keeps the body it was answered with (`response`). */
  recordResponses = false;

  private constructor(
    private readonly server: https.Server,
    private readonly tracker: SocketTracker,
    host: string,
    port: number,
    opts: ArmEmulatorOptions,
  ) {
    this.url = `https://${hostPort(host, port)}`;
    this.pageSize = Math.max(1, opts.pageSize ?? 2);
    this.authority = opts.authority ?? new TokenAuthority();
    this.latencyMs = opts.latencyMs ?? 0;
    this.resourceGraph = new ResourceGraphEmulator(this.store, opts.resourceGraph);
  }

  static async start(opts: ArmEmulatorOptions): Promise<ArmEmulator> {
    const host = DEFAULT_HOST;
    const { key, cert } = opts.pki.issue(['localhost', host]);
    const server = https.createServer({ key, cert });
    const tracker = new SocketTracker(server);
    const port = await listen(server, host, 0);
    const emulator = new ArmEmulator(server, tracker, host, port, opts);
    server.on('secureConnection', () => emulator.tlsHandshakes++);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      emulator.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed)
          sendError(res, 500, 'InternalServerError', `lab ARM emulator failed: ${String(err)}`);
      });
    });
    return emulator;
  }

  put(resource: ArmResource): void {
    this.store.put(resource);
  }

  /** Deletes a resource (a zone link removed, say); false when there was none. */
  remove(id: string): boolean {
    return this.store.remove(id);
  }

  get(id: string): ArmResource | undefined {
    return this.store.get(id);
  }

  /** Makes an empty subscription visible; otherwise only subscriptions that hold resources exist. */
  addSubscription(subscriptionId: string): void {
    this.store.addSubscription(subscriptionId);
  }

  /**
   * Registers a management group (by its id, the name Resource Graph takes in `managementGroups`) and
   * the subscriptions under it; a query scoped to it sees their resources. The subscriptions become
   * visible like addSubscription()'s. Calling it again for the same id replaces its subscriptions.
   */
  addManagementGroup(id: string, subscriptionIds: string[]): void {
    this.store.addManagementGroup(id, subscriptionIds);
  }

  /** A role assignment of `actions` to the principal at `scope` (a subscription or resource group ID). */
  grant(principal: LabPrincipal, scope: string, actions: readonly string[]): void {
    this.store.grant(principal, scope, actions);
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
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  async stop(): Promise<void> {
    this.timers.stop();
    await closeServer(this.server, this.tracker);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://arm.lab.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: ArmRequestLog = {
      method,
      path: url.pathname,
      query: url.search.slice(1),
      timestamp: Date.now(),
      status: 0,
    };
    this.requests.push(entry);
    if (this.recordResponses) recordResponse(res, entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
    });
    // Always read the body: Resource Graph queries carry one, and draining keeps keep-alive sockets usable.
    const body = readBody(req);
    const isResourceGraph = ResourceGraphEmulator.isQuery(method, url.pathname);
    if (isResourceGraph) this.resourceGraph.requests += 1;

    // Faults stand for the network and gateways in front of ARM, so they fire before authentication.
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claimed = bearer ? this.authority.lookup(bearer)?.principal : undefined;
    const faultCaller = claimed?.objectId ?? '';
    // Who sent it, even when a fault answers before authentication (the token is checked properly below).
    if (claimed) entry.principal = claimed.clientId;
    const { delayMs, latencyFault, terminal } = this.faults.pick(
      { method, path: entry.path, query: entry.query },
      faultCaller,
      this.latencyMs,
    );
    if (terminal) entry.fault = terminal.kind;
    else if (latencyFault) entry.fault = 'latency';
    if (delayMs > 0 && !(await this.timers.sleep(delayMs))) return;
    if (res.destroyed) return;

    if (terminal) {
      this.faults.apply(terminal, req, res, entry, this.url);
      return;
    }

    const auth = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S.*)$/i.exec(auth);
    if (!match) {
      res.setHeader(
        'WWW-Authenticate',
        'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="no bearer token"',
      );
      sendError(res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
      return;
    }
    this.lastAuthorization = match[1];
    const caller = this.authority.lookup(match[1] ?? '');
    if (!caller) {
      sendError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.');
      return;
    }
    const audiences = [this.url, `${this.url}/`, ...ARM_AUDIENCES];
    if (!audiences.includes(caller.audience)) {
      sendError(
        res,
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${caller.audience}'. It should exactly match with one of the allowed audiences '${audiences.join("','")}'.`,
      );
      return;
    }
    entry.principal = caller.principal.clientId;

    const operation = operationOf(method, url.pathname);
    entry.operation = operation.key;
    entry.action = operation.action;
    // Every route checks its api-version before anything else; Resource Graph checks its own (its versions differ).
    if (!isResourceGraph && !this.checkApiVersion(url, res)) return;
    // A subscription ARM does not know is a 404 SubscriptionNotFound whoever asks (route() answers it).
    const namedSubscription =
      segmentsOf(url.pathname)[0]?.toLowerCase() === 'subscriptions'
        ? segmentsOf(url.pathname)[1]?.toLowerCase()
        : undefined;
    const unknownSubscription =
      namedSubscription !== undefined && !this.store.knownSubscriptions().has(namedSubscription);
    if (!unknownSubscription) {
      this.setRateLimitHeaders(res, caller, url.pathname);
      const action = operation.action === undefined ? `${operation.key.split(' ')[1] ?? ''}/read` : operation.action;
      if (action !== null && !this.store.allowed(caller.principal, action, operation.scope)) {
        const oid = caller.principal.objectId;
        sendError(
          res,
          403,
          'AuthorizationFailed',
          `The client '${oid}' with object id '${oid}' does not have authorization to perform action '${action}' over scope '${operation.scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
        return;
      }
    }

    if (isResourceGraph) {
      await this.resourceGraph.answer(url, body, res, entry, caller);
      return;
    }
    // issue 10: DNS Private Resolver, the one POST read besides Resource Graph (see answerRulesetsByVnet).
    if (method === 'POST' && RULESETS_BY_VNET.test(url.pathname)) {
      this.answerRulesetsByVnet(url, res);
      return;
    }
    // issue 10: AVNM's effective connectivity configurations of a VNet, a POST with a skipToken body (arm-connectivity.ts).
    if (method === 'POST' && EFFECTIVE_CONNECTIVITY.test(url.pathname)) {
      await answerEffectiveConnectivity(this.store, url, body, res, this.pageSize);
      return;
    }
    if (method !== 'GET') {
      sendError(
        res,
        405,
        'MethodNotAllowed',
        `The lab ARM emulator only serves GET (and POST /providers/microsoft.resourcegraph/resources); got ${method} ${entry.path}.`,
      );
      return;
    }
    this.route(url, res, caller);
  }

  private route(url: URL, res: http.ServerResponse, caller: IssuedToken | undefined): void {
    const segments = segmentsOf(url.pathname);
    if (segments.length === 0 || segments[0]?.toLowerCase() !== 'subscriptions') {
      sendError(res, 404, 'InvalidResourceNamespace', `The lab ARM emulator does not serve ${url.pathname}.`);
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
    const stored = this.store.resources.get(idLower);
    if (stored) {
      sendJson(res, 200, stored.resource);
      return;
    }
    const subscription = (segments[1] ?? '').toLowerCase();
    if (segments.length === 2 && this.store.knownSubscriptions().has(subscription)) {
      sendJson(res, 200, this.subscriptionResource(segments[1] ?? ''));
      return;
    }
    if (segments.length === 4 && segments[2]?.toLowerCase() === 'resourcegroups') {
      const implied = this.impliedResourceGroups(subscription).get((segments[3] ?? '').toLowerCase());
      if (implied) {
        sendJson(res, 200, implied);
        return;
      }
      sendError(
        res,
        404,
        'ResourceGroupNotFound',
        `Resource group '${segments[3] ?? ''}' does not exist in the lab ARM emulator.`,
      );
      return;
    }
    const embedded = this.embeddedChildren(segments.slice(0, -2), segments.at(-2) ?? '')?.find(
      (child) => child.id.toLowerCase() === idLower,
    );
    if (embedded) {
      sendJson(res, 200, embedded);
      return;
    }
    if (segments.length === 2) {
      sendError(
        res,
        404,
        'SubscriptionNotFound',
        `The subscription '${segments[1] ?? ''}' is not known to the lab ARM emulator.`,
      );
      return;
    }
    const { qualifiedName } = typeAndQualifiedName(segments);
    const rg = segments[2]?.toLowerCase() === 'resourcegroups' ? (segments[3] ?? '') : '';
    sendError(
      res,
      404,
      'ResourceNotFound',
      `The resource '${qualifiedName}'${rg ? ` in resource group '${rg}'` : ''} was not found by the lab ARM emulator. For more details see https://aka.ms/ARMResourceNotFound`,
    );
  }

  private listCollection(segments: string[], url: URL, res: http.ServerResponse): void {
    const subscription = (segments[1] ?? '').toLowerCase();
    if (!this.store.knownSubscriptions().has(subscription)) {
      sendError(
        res,
        404,
        'SubscriptionNotFound',
        `The subscription '${segments[1] ?? ''}' is not known to the lab ARM emulator.`,
      );
      return;
    }
    const all = [...this.store.resources.values()];
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
      const wantedType = /resourceType\s+eq\s+'([^']+)'/i
        .exec(url.searchParams.get('$filter') ?? '')?.[1]
        ?.toLowerCase();
      items = all
        .filter(
          (r) =>
            r.subscription === subscription &&
            r.resourceGroup !== undefined &&
            (rg === undefined || r.resourceGroup === rg),
        )
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
    const parent = this.store.resources.get(lower(parentSegments));
    const properties = parent?.resource['properties'];
    if (typeof properties !== 'object' || properties === null) return undefined;
    const key = Object.keys(properties).find((k) => k.toLowerCase() === childType.toLowerCase());
    const children: unknown = key === undefined ? undefined : (properties as Record<string, unknown>)[key];
    if (!Array.isArray(children)) return undefined;
    return children.filter(
      (c): c is ArmResource =>
        typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>)['id'] === 'string',
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
    sendJson(res, 200, body);
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
    for (const r of this.store.resources.values()) {
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
  /** ARM checks the api-version before routing; false when it answered the request with the error. */
  private checkApiVersion(url: URL, res: http.ServerResponse): boolean {
    const version = url.searchParams.get('api-version');
    if (!version) {
      sendMissingApiVersion(res);
      return false;
    }
    const segments = segmentsOf(url.pathname);
    const { type } =
      segments.length % 2 === 0 ? typeAndQualifiedName(segments) : typeAndQualifiedName([...segments, 'x']);
    const typeLower = type.toLowerCase();
    const key = Object.keys(API_VERSIONS)
      .filter((k) => typeLower === k || typeLower.startsWith(`${k}/`))
      .sort((a, b) => b.length - a.length)[0];
    const supported = key === undefined ? [] : (API_VERSIONS[key] ?? []);
    if (
      !API_VERSION_SHAPE.test(version) ||
      (key === 'microsoft.resources' && !supported.includes(version.toLowerCase()))
    ) {
      sendError(
        res,
        400,
        'InvalidApiVersionParameter',
        `The api-version '${version}' is invalid. The supported versions are '${[...supported].reverse().join(',')}'. Please see https://aka.ms/api-version for details.`,
      );
      return false;
    }
    if (!supported.includes(version.toLowerCase())) {
      const parts = typeLower.split('/');
      sendError(
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
    res.setHeader(
      'x-ms-ratelimit-remaining-subscription-reads',
      String(take(`${sub}|${caller.principal.objectId}`, READ_BUCKET)),
    );
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
    const items = [...this.store.resources.values()]
      .filter((r) => r.fullType === 'microsoft.network/dnsforwardingrulesets/virtualnetworklinks')
      .filter((r) => {
        const props = r.resource['properties'];
        const target = isRecord(props) && isRecord(props['virtualNetwork']) ? props['virtualNetwork']['id'] : undefined;
        return typeof target === 'string' && target.toLowerCase() === vnet;
      })
      .map((r) => ({
        id: r.resource.id.replace(/\/virtualNetworkLinks\/[^/]+$/i, ''),
        properties: { virtualNetworkLink: { id: r.resource.id } },
      }));
    this.sendPage(url, res, items);
  }
  // ---- end issue 10 ----------------------------------------------------------------------------------------------

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
      subscriptionPolicies: {
        locationPlacementId: 'Public_2014-09-01',
        quotaId: 'PayAsYouGo_2014-09-01',
        spendingLimit: 'Off',
      },
      authorizationSource: 'RoleBased',
      managedByTenants: [],
    };
  }

  private listSubscriptions(url: URL, res: http.ServerResponse, principal?: LabPrincipal): void {
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) {
      sendMissingApiVersion(res);
      return;
    }
    if (!SUBSCRIPTIONS_API_VERSIONS.includes(apiVersion)) {
      sendError(
        res,
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are '${SUBSCRIPTIONS_API_VERSIONS.join(',')}'.`,
      );
      return;
    }
    // Only the subscriptions where the caller holds a role assignment (at the root or inside the subscription).
    const visible = [...this.store.knownSubscriptions()].filter(
      (s) => !principal || this.store.seesSubscription(principal, s),
    );
    this.sendPage(
      url,
      res,
      visible.sort().map((s) => this.subscriptionListItem(s)),
    );
  }
  // ---- end issue 14 ------------------------------------------------------------------------------------------
}

/** api-versions of Microsoft.Resources' SubscriptionClient that list subscriptions (issue 14). */
const SUBSCRIPTIONS_API_VERSIONS = [
  '2015-11-01',
  '2016-06-01',
  '2018-06-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2021-01-01',
  '2022-12-01',
];
