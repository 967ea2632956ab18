import { createHash, randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { runKql, type KqlRow, type KqlValue } from './kql-eval';
import { loadCompiledResourceGraphQueries } from './resource-graph-compiled';

// The probe's own queries evaluate from their committed syntax trees; any other text loads the Kusto parser.
loadCompiledResourceGraphQueries();
import type { IssuedToken } from './identity';
import { isRecord, segmentsOf, typeAndQualifiedName, type ArmStore, type StoredResource } from './arm-store';
import { MAX_REQUEST_BODY_BYTES, sendError, sendJson, sendMissingApiVersion, type ArmRequestLog } from './arm-wire';

/**
 * Resource Graph's per-user query quota: at most `limit` queries in a window of `windowMs`, the window
 * starting with the first query after the previous one ended (the service documents 15 per 5 seconds).
 */
export interface ResourceGraphQuota {
  limit: number;
  windowMs: number;
}

export interface ResourceGraphOptions {
  /** See {@link ResourceGraphEmulator.pageSize}. */
  pageSize?: number;
}

/** The tenant the lab's resources live in (Resource Graph's tenantId column). */
const LAB_RESOURCE_TENANT = '3c5e9a1d-7b2f-4e6a-9d0c-1f2e3d4c5b6a';

/** Resource Graph's query API, matched case-insensitively like every ARM path. */
const RESOURCE_GRAPH_PATH = '/providers/microsoft.resourcegraph/resources';
/** api-versions ARM routes to `Microsoft.ResourceGraph/resources`; @azure/arm-resourcegraph 5.0.0 sends 2024-04-01. */
const RESOURCE_GRAPH_API_VERSIONS = [
  '2018-09-01-preview',
  '2019-04-01',
  '2020-04-01-preview',
  '2021-03-01',
  '2022-10-01',
  '2024-04-01',
];
/** Resource Graph's own limit for `$top`, and the page size when a request names none. */
const RESOURCE_GRAPH_MAX_TOP = 1000;
const LOGGED_BODY_CHARS = 64 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `resources` table as Resource Graph documents it (learn.microsoft.com/azure/governance/resource-graph/reference/
 * supported-tables-resources and the query language page: id, name, type, tenantId, kind, location, resourceGroup,
 * subscriptionId, managedBy, sku, plan, properties, tags, identity, zones, extendedLocation), with its column types.
 * The emulator evaluates each query over these rows (test/lab/kql-eval.ts): what a query filters, projects and
 * orders is what it gets, so a typo in a type filter or a dropped column shows up in the probe's results.
 */
export const RESOURCES_TABLE_COLUMNS = {
  id: 'string',
  name: 'string',
  type: 'string',
  tenantId: 'string',
  kind: 'string',
  location: 'string',
  resourceGroup: 'string',
  subscriptionId: 'string',
  managedBy: 'string',
  sku: 'object',
  plan: 'object',
  properties: 'object',
  tags: 'object',
  identity: 'object',
  zones: 'object',
  extendedLocation: 'object',
} as const;

type ResourceGraphRow = Record<string, KqlValue>;

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

/** A string array field of a request body; `undefined` when absent, `null` when present but not strings. */
function stringArray(value: unknown): string[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return null;
  return value;
}

/**
 * Resource Graph's query API behind the ARM emulator: the probe's queries answered from the ARM store, with
 * Resource Graph's paging, scope rules, quota headers and error shapes.
 */
export class ResourceGraphEmulator {
  /**
   * Most rows per page whatever `$top` asks for (the effective page is the smaller of the two), so a test can
   * page with a handful of resources. Defaults to Resource Graph's 1000.
   */
  pageSize: number;
  /** Every POST that reached the Resource Graph path, whatever it was answered (faults and 429s included). */
  requests = 0;
  /**
   * When set, Resource Graph answers at most this many rows with resultTruncated "true" and no $skipToken, as it
   * does for results it cannot page.
   */
  truncateAt: number | undefined;
  private rgQuota: ResourceGraphQuota = { limit: 15, windowMs: 5000 };
  private rgWindow: { startedAt: number; used: number } | undefined;

  constructor(
    private readonly store: ArmStore,
    opts: ResourceGraphOptions = {},
  ) {
    this.pageSize = opts.pageSize ?? RESOURCE_GRAPH_MAX_TOP;
  }

  /** Whether a request is a Resource Graph query (the path is matched case-insensitively like every ARM path). */
  static isQuery(method: string, path: string): boolean {
    return method === 'POST' && path.toLowerCase().replace(/\/+$/, '') === RESOURCE_GRAPH_PATH;
  }

  /**
   * Resource Graph's per-user quota (default 15 queries per 5 s, as the service documents). Every query
   * takes one; when none is left the answer is 429 with Retry-After, until the window ends and the quota
   * refills in full. Assigning a new quota starts a fresh window.
   */
  get quota(): ResourceGraphQuota {
    return { ...this.rgQuota };
  }

  set quota(quota: ResourceGraphQuota) {
    if (!Number.isInteger(quota.limit) || quota.limit < 0)
      throw new Error(`resourceGraphQuota.limit must be an integer >= 0, got ${quota.limit}`);
    if (!Number.isFinite(quota.windowMs) || quota.windowMs <= 0)
      throw new Error(`resourceGraphQuota.windowMs must be > 0, got ${quota.windowMs}`);
    this.rgQuota = { limit: quota.limit, windowMs: quota.windowMs };
    this.rgWindow = undefined;
  }

  /**
   * POST /providers/Microsoft.ResourceGraph/resources: the probe's three queries, answered from the
   * resource store, with Resource Graph's paging, scope rules, quota headers and error shapes.
   */
  async answer(
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
      sendMissingApiVersion(res);
      return;
    }
    if (!RESOURCE_GRAPH_API_VERSIONS.includes(apiVersion.toLowerCase())) {
      sendError(
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
      sendResourceGraphError(
        res,
        429,
        'RateLimiting',
        'RateLimiting',
        'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.',
      );
      return;
    }

    if (body.tooLarge) {
      sendResourceGraphError(
        res,
        413,
        'RequestEntityTooLarge',
        'RequestEntityTooLarge',
        `The request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes.`,
      );
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', 'The request content is not valid JSON.');
      return;
    }
    if (!isRecord(parsed) || typeof parsed['query'] !== 'string' || parsed['query'].trim() === '') {
      sendResourceGraphError(
        res,
        400,
        'BadRequest',
        'InvalidRequestContent',
        "The request content must be an object with a non-empty 'query' string.",
      );
      return;
    }
    const query = parsed['query'];
    const facets = parsed['facets'];
    if (Array.isArray(facets) && facets.length > 0) {
      sendResourceGraphError(
        res,
        400,
        'BadRequest',
        'InvalidRequestContent',
        'The lab ARM emulator does not compute facets.',
      );
      return;
    }

    const scope = this.resourceGraphScope(parsed);
    if ('error' in scope) {
      sendResourceGraphError(res, 400, 'BadRequest', scope.error.code, scope.error.message);
      return;
    }

    const options = parsed['options'] === undefined || parsed['options'] === null ? {} : parsed['options'];
    if (!isRecord(options)) {
      sendResourceGraphError(res, 400, 'BadRequest', 'InvalidRequestContent', "'options' must be an object.");
      return;
    }
    const top = options['$top'] ?? RESOURCE_GRAPH_MAX_TOP;
    if (typeof top !== 'number' || !Number.isInteger(top) || top < 1 || top > RESOURCE_GRAPH_MAX_TOP) {
      sendResourceGraphError(
        res,
        400,
        'BadRequest',
        'InvalidRequestContent',
        `'$top' must be an integer from 1 to ${RESOURCE_GRAPH_MAX_TOP}; got ${JSON.stringify(top)}.`,
      );
      return;
    }
    const skip = options['$skip'];
    if (skip !== undefined && skip !== null && (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0)) {
      sendResourceGraphError(
        res,
        400,
        'BadRequest',
        'InvalidRequestContent',
        `'$skip' must be an integer >= 0; got ${JSON.stringify(skip)}.`,
      );
      return;
    }
    const resultFormat = options['resultFormat'] ?? (apiVersion.toLowerCase() < '2021-03-01' ? 'table' : 'objectArray');
    if (resultFormat !== 'objectArray' && resultFormat !== 'table') {
      sendResourceGraphError(
        res,
        400,
        'BadRequest',
        'InvalidRequestContent',
        `'resultFormat' must be 'objectArray' or 'table'; got ${JSON.stringify(resultFormat)}.`,
      );
      return;
    }

    const fingerprint = createHash('sha256')
      .update(JSON.stringify([query, scope.kind, [...scope.subscriptions].sort()]))
      .digest('hex')
      .slice(0, 16);
    let offset = 0;
    const rawToken = options['$skipToken'];
    if (rawToken !== undefined && rawToken !== null && rawToken !== '') {
      const token = typeof rawToken === 'string' ? this.decodeSkipToken(rawToken) : undefined;
      if (token === undefined || token.f !== fingerprint) {
        sendResourceGraphError(
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

    const table = [...this.store.resources.entries()]
      .filter(([, r]) => r.subscription !== undefined && scope.subscriptions.has(r.subscription))
      // Resource Graph returns only what the caller may read.
      .filter(
        ([id, r]) =>
          caller === undefined ||
          this.store.allowed(caller.principal, `${typeAndQualifiedName(segmentsOf(r.resource.id)).type}/read`, id),
      )
      .map(([, r]) => this.resourceGraphRow(r));
    let rows: KqlRow[];
    try {
      // Table names are case-insensitive in Resource Graph.
      rows = runKql(query, { resources: table, Resources: table });
    } catch (error) {
      const message = `The lab could not evaluate the query: ${error instanceof Error ? error.message : String(error)}. Got: ${JSON.stringify(query.slice(0, 500))}`;
      sendJson(res, 400, { error: { code: 'BadRequest', message, details: [{ code: 'InvalidQuery', message }] } });
      return;
    }
    const pageSize = Math.max(1, Math.min(top, Math.floor(this.pageSize)));
    const truncated = this.truncateAt !== undefined && rows.length > this.truncateAt;
    const page = truncated ? rows.slice(0, this.truncateAt) : rows.slice(offset, offset + pageSize);
    const next = offset + page.length;
    const response: Record<string, unknown> = {
      totalRecords: rows.length,
      count: page.length,
      // Resource Graph sends the flag as a string; "true" when it could not page the result.
      resultTruncated: truncated ? 'true' : 'false',
    };
    if (!truncated && next < rows.length) {
      response['$skipToken'] = Buffer.from(
        JSON.stringify({ f: fingerprint, o: next } satisfies ResourceGraphSkipToken),
      ).toString('base64url');
    }
    response['data'] =
      resultFormat === 'table'
        ? {
            columns: Object.keys(rows[0] ?? {}).map((name) => ({
              name,
              type: RESOURCES_TABLE_COLUMNS[name as keyof typeof RESOURCES_TABLE_COLUMNS] ?? 'string',
            })),
            rows: page.map((row) => Object.keys(rows[0] ?? {}).map((name) => row[name])),
          }
        : page;
    response['facets'] = [];
    sendJson(res, 200, response);
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
  ):
    | { kind: 'subscriptions' | 'managementGroups' | 'tenant'; subscriptions: Set<string> }
    | { error: { code: string; message: string } } {
    const subscriptions = stringArray(request['subscriptions']);
    const managementGroups = stringArray(request['managementGroups']);
    if (subscriptions === null || managementGroups === null) {
      return {
        error: {
          code: 'InvalidRequestContent',
          message: "'subscriptions' and 'managementGroups' must be arrays of strings.",
        },
      };
    }
    const known = this.store.knownSubscriptions();
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
        return {
          error: {
            code: 'SubscriptionsContainInvalidGuids',
            message: `The provided subscriptions must be valid GUIDs. Given: '${invalid.join("', '")}'.`,
          },
        };
      }
      const valid = new Set(subscriptions.map((s) => s.toLowerCase()).filter((s) => known.has(s)));
      if (valid.size === 0) {
        return {
          error: {
            code: 'NoValidSubscriptionsInQueryRequest',
            message: 'There must be at least one subscription that is eligible to contain resources.',
          },
        };
      }
      return { kind: 'subscriptions', subscriptions: valid };
    }
    if (hasGroups) {
      const valid = new Set<string>();
      for (const group of managementGroups) {
        const subs = this.store.managementGroups.get(group.toLowerCase());
        if (subs === undefined) {
          return {
            error: {
              code: 'ManagementGroupsContainInvalidIds',
              message: `The provided management groups must be valid. Given: '${group}'.`,
            },
          };
        }
        for (const s of subs) valid.add(s);
      }
      if (valid.size === 0) {
        return {
          error: {
            code: 'NoValidSubscriptionsInQueryRequest',
            message: `Management group ${managementGroups.join(', ')} does not have any valid subscriptions.`,
          },
        };
      }
      return { kind: 'managementGroups', subscriptions: valid };
    }
    if (known.size === 0) {
      return {
        error: {
          code: 'NoValidSubscriptionsInQueryRequest',
          message: 'There must be at least one subscription that is eligible to contain resources.',
        },
      };
    }
    return { kind: 'tenant', subscriptions: known };
  }

  private decodeSkipToken(token: string): ResourceGraphSkipToken | undefined {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (
        !isRecord(decoded) ||
        typeof decoded['f'] !== 'string' ||
        typeof decoded['o'] !== 'number' ||
        !Number.isInteger(decoded['o']) ||
        decoded['o'] < 0
      ) {
        return undefined;
      }
      return { f: decoded['f'], o: decoded['o'] };
    } catch {
      return undefined;
    }
  }

  /** A row of the `resources` table, from the stored wire JSON. */
  private resourceGraphRow(r: StoredResource): ResourceGraphRow {
    const segments = segmentsOf(r.resource.id);
    const w = r.resource as Record<string, unknown>;
    const json = (v: unknown): KqlValue => (v === undefined ? null : (structuredClone(v) as KqlValue));
    const name = w['name'];
    const type = w['type'];
    return {
      id: r.resource.id,
      name: typeof name === 'string' ? name : (segments.at(-1) ?? ''),
      // Resource Graph lower-cases the type column (see ResourcesBasicQuery.json in azure-rest-api-specs).
      type: (typeof type === 'string' ? type : typeAndQualifiedName(segments).type).toLowerCase(),
      tenantId: LAB_RESOURCE_TENANT,
      kind: typeof w['kind'] === 'string' ? w['kind'] : '',
      location: typeof w['location'] === 'string' ? w['location'] : '',
      // Resource Graph lower-cases this column whatever the id's casing.
      resourceGroup: r.resourceGroup ?? '',
      subscriptionId: segments[1] ?? '',
      managedBy: typeof w['managedBy'] === 'string' ? w['managedBy'] : '',
      sku: json(w['sku']),
      plan: json(w['plan']),
      properties: json(w['properties']),
      tags: json(w['tags']),
      identity: json(w['identity']),
      zones: json(w['zones']),
      extendedLocation: json(w['extendedLocation']),
    };
  }
}

/** Resource Graph's error shape: a generic message with a correlation id, the reason in `details`. */
function sendResourceGraphError(
  res: http.ServerResponse,
  status: number,
  code: string,
  detailCode: string,
  detailMessage: string,
): void {
  const requestId = randomUUID();
  const message = `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${requestId}.`;
  sendJson(
    res,
    status,
    { error: { code, message, details: [{ code: detailCode, message: detailMessage }] } },
    requestId,
  );
}
