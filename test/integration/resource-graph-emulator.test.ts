import { ResourceGraphClient, type QueryRequest, type QueryResponse } from '@azure/arm-resourcegraph';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { isRestError, type RestError } from '@azure/core-rest-pipeline';
import { rmSync } from 'node:fs';
import * as https from 'node:https';
import { createBoundedHttpClient } from '../../src/adapters/arm-http';
import { ResourceGraphLists } from '../../src/adapters/resource-graph';
import { RESOURCE_GRAPH_QUERIES } from '../../src/adapters/resource-graph-queries';
import { cloudProfile } from '../../src/probe/clouds';
import { ArmEmulator, type ArmResource } from '../lab/arm-emulator';
import { createLabPki, trustLabCa, type LabPki } from '../lab/tls';

/** What `onResponse` receives; @azure-rest/core-client is not a direct dependency, so derive it from the client. */
type FullOperationResponse = Parameters<
  NonNullable<NonNullable<Parameters<ResourceGraphClient['resources']>[1]>['onResponse']>
>[0];

const SUB_A = 'aaaaaaaa-1111-4111-8111-00000000000a';
const SUB_B = 'bbbbbbbb-2222-4222-8222-00000000000b';
const SUB_EMPTY = 'cccccccc-3333-4333-8333-00000000000c';
const RG_PATH = '/providers/Microsoft.ResourceGraph/resources';

/** A credential handing out one token the emulator accepts (set in beforeAll). */
let token = '';
const staticCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
};

const vaultId = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/RG-KV/providers/Microsoft.KeyVault/vaults/${name}`;
const peId = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/${name}`;
const nicId = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/${name}`;

function vault(sub: string, name: string): ArmResource {
  return {
    id: vaultId(sub, name),
    name,
    type: 'Microsoft.KeyVault/vaults',
    location: 'westeurope',
    properties: {
      vaultUri: `https://${name}.vault.azure.net/`,
      publicNetworkAccess: 'Disabled',
      privateEndpointConnections: [],
    },
  };
}

function privateEndpoint(sub: string, name: string): ArmResource {
  return {
    id: peId(sub, name),
    name,
    type: 'Microsoft.Network/privateEndpoints',
    location: 'westeurope',
    properties: { provisioningState: 'Succeeded', networkInterfaces: [{ id: nicId(sub, `${name}.nic.0`) }] },
  };
}

function nic(sub: string, name: string, privateEndpointId?: string): ArmResource {
  return {
    id: nicId(sub, name),
    name,
    type: 'Microsoft.Network/networkInterfaces',
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      ...(privateEndpointId ? { privateEndpoint: { id: privateEndpointId } } : {}),
      ipConfigurations: [
        {
          id: `${nicId(sub, name)}/ipConfigurations/ipconfig1`,
          name: 'ipconfig1',
          properties: { privateIPAddress: '10.0.1.4' },
        },
      ],
    },
  };
}

// Put out of id order on purpose: the emulator sorts by lower-cased id.
const VAULTS_A = ['kv-e', 'KV-b', 'kv-a', 'kv-d', 'kv-c'].map((n) => vault(SUB_A, n));
const VAULT_B = vault(SUB_B, 'kv-other');
const PES_A = [privateEndpoint(SUB_A, 'pe-2'), privateEndpoint(SUB_A, 'pe-1')];
const PE_B = privateEndpoint(SUB_B, 'pe-b');
const PE_NICS_A = [nic(SUB_A, 'pe-1.nic.0', peId(SUB_A, 'pe-1')), nic(SUB_A, 'pe-2.nic.0', peId(SUB_A, 'pe-2'))];
const VM_NIC_A = nic(SUB_A, 'vm-1-nic');

// `order by id asc` as KQL sorts strings: ordinal, so upper case before lower case.
const sortedIds = (resources: ArmResource[]): string[] =>
  resources.map((r) => r.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function idsOf(response: QueryResponse): string[] {
  const data: unknown = response.data;
  if (!Array.isArray(data)) throw new Error(`data is not an object array: ${JSON.stringify(data)}`);
  return data.map((row: unknown) => String((row as Record<string, unknown>)['id']));
}

async function restErrorOf(promise: Promise<unknown>): Promise<RestError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRestError(err)) throw new Error(`expected a RestError, got ${String(err)}`);
  return err;
}

/** The `details` array of the error body, as the SDK attaches it to the RestError. */
function detailCodes(err: RestError): string[] {
  const details = (err.details as { error?: { details?: { code?: string }[] } } | undefined)?.error?.details ?? [];
  return details.map((d) => d.code ?? '');
}

let pki: LabPki;
let arm: ArmEmulator;
let client: ResourceGraphClient;
let clientOptions: { endpoint: string; credentials: { scopes: string[] } };

beforeAll(async () => {
  pki = createLabPki();
  trustLabCa(pki.caPem);
  arm = await ArmEmulator.start({ pki });
  for (const r of [...VAULTS_A, VAULT_B, ...PES_A, PE_B, ...PE_NICS_A, VM_NIC_A]) arm.put(r);
  // Neither of these may show up in any of the three queries.
  arm.put({
    id: `${vaultId(SUB_A, 'kv-a')}/privateEndpointConnections/pec1`,
    name: 'pec1',
    type: 'Microsoft.KeyVault/vaults/privateEndpointConnections',
    properties: {},
  });
  arm.put({
    id: `/subscriptions/${SUB_A}/resourceGroups/rg-net/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`,
    name: 'privatelink.vaultcore.azure.net',
    type: 'Microsoft.Network/privateDnsZones',
    location: 'global',
    properties: {},
  });
  token = arm.trustedToken();
  clientOptions = { endpoint: arm.url, credentials: { scopes: [`${arm.url}/.default`] } };
  client = new ResourceGraphClient(staticCredential, clientOptions);
});

afterAll(async () => {
  await arm?.stop();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

beforeEach(() => {
  arm.clearFaults();
  arm.requests.length = 0;
  arm.latencyMs = 0;
  arm.resourceGraph.pageSize = 1000;
  // Roomy, so the tests that are not about the quota never wait for the SDK's 429 retries.
  arm.resourceGraph.quota = { limit: 1000, windowMs: 5000 };
});

describe('Resource Graph in the lab ARM emulator, through @azure/arm-resourcegraph', () => {
  it('answers the three probe queries from the resource store, scoped to the requested subscriptions', async () => {
    arm.resourceGraph.quota = { limit: 15, windowMs: 5000 };
    const before = arm.resourceGraph.requests;
    const seen: FullOperationResponse[] = [];
    const run = (query: string): Promise<QueryResponse> =>
      client.resources(
        { query, subscriptions: [SUB_A], options: { top: 1000, resultFormat: 'objectArray' } },
        { onResponse: (r) => seen.push(r) },
      );

    const vaults = await run(RESOURCE_GRAPH_QUERIES.vaults);
    const pes = await run(RESOURCE_GRAPH_QUERIES.privateEndpoints);
    const nics = await run(RESOURCE_GRAPH_QUERIES.networkInterfaces);

    expect(idsOf(vaults)).toEqual(sortedIds(VAULTS_A));
    expect(idsOf(pes)).toEqual(sortedIds(PES_A));
    // Only the NICs of private endpoints; the VM's NIC has no properties.privateEndpoint.
    expect(idsOf(nics)).toEqual(sortedIds(PE_NICS_A));
    for (const [response, expected] of [
      [vaults, 5],
      [pes, 2],
      [nics, 2],
    ] as const) {
      expect(response).toMatchObject({ totalRecords: expected, count: expected, resultTruncated: 'false' });
      expect(response.skipToken).toBeUndefined();
    }

    const stored = VAULTS_A.find((v) => v.name === 'KV-b');
    // The probe's query projects what the adapter reads.
    expect(Object.keys((vaults.data as Record<string, unknown>[])[0] ?? {}).sort()).toEqual([
      'id',
      'name',
      'properties',
      'subscriptionId',
      'tags',
    ]);
    // The table's own columns, as Resource Graph fills them.
    const [row] = (
      await run("resources | where name == 'KV-b' | project id, name, type, subscriptionId, resourceGroup, properties")
    ).data as Record<string, unknown>[];
    expect(row).toEqual({
      id: stored?.id,
      name: 'KV-b',
      // Resource Graph lower-cases the type, whatever ARM's own casing.
      type: 'microsoft.keyvault/vaults',
      subscriptionId: SUB_A,
      resourceGroup: 'rg-kv',
      properties: stored?.['properties'],
    });

    // Logged like every other request, counted, and each answer carries the quota headers.
    expect(arm.resourceGraph.requests - before).toBe(4);
    expect(arm.requests.map((r) => [r.method, r.path, r.query, r.status])).toEqual(
      Array.from({ length: 4 }, () => ['POST', RG_PATH, 'api-version=2024-04-01', 200]),
    );
    expect(JSON.parse(arm.requests[2]?.body ?? '{}')).toMatchObject({
      query: RESOURCE_GRAPH_QUERIES.networkInterfaces,
      subscriptions: [SUB_A],
      options: { $top: 1000, resultFormat: 'objectArray' },
    });
    expect(seen.map((r) => r.headers.get('x-ms-user-quota-remaining'))).toEqual(['14', '13', '12', '11']);
    for (const r of seen) expect(r.headers.get('x-ms-user-quota-resets-after')).toMatch(/^00:00:0[1-5]$/);
  });

  it('covers every known subscription when the request names no scope, and skips subscriptions it does not know', async () => {
    const tenant = await client.resources({ query: RESOURCE_GRAPH_QUERIES.privateEndpoints });
    expect(idsOf(tenant)).toEqual(sortedIds([...PES_A, PE_B]));
    const partly = await client.resources({
      query: RESOURCE_GRAPH_QUERIES.vaults,
      subscriptions: [SUB_B, 'dddddddd-4444-4444-8444-00000000000d'],
    });
    expect(idsOf(partly)).toEqual([VAULT_B.id]);
    const none = await restErrorOf(
      client.resources({
        query: RESOURCE_GRAPH_QUERIES.vaults,
        subscriptions: ['dddddddd-4444-4444-8444-00000000000d'],
      }),
    );
    expect([none.statusCode, none.code]).toEqual([400, 'BadRequest']);
    expect(detailCodes(none)).toEqual(['NoValidSubscriptionsInQueryRequest']);
  });

  it('pages with $skipToken across three pages when resourceGraphPageSize is 2', async () => {
    arm.resourceGraph.pageSize = 2;
    const pages: QueryResponse[] = [];
    let skipToken: string | undefined;
    do {
      const request: QueryRequest = {
        query: RESOURCE_GRAPH_QUERIES.vaults,
        subscriptions: [SUB_A],
        options: { top: 1000, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      };
      const page = await client.resources(request);
      pages.push(page);
      skipToken = page.skipToken;
    } while (skipToken && pages.length < 10);

    expect(pages.map((p) => p.count)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.totalRecords)).toEqual([5, 5, 5]);
    expect(pages.map((p) => p.resultTruncated)).toEqual(['false', 'false', 'false']);
    expect(pages.map((p) => typeof p.skipToken)).toEqual(['string', 'string', 'undefined']);
    expect(pages.flatMap(idsOf)).toEqual(sortedIds(VAULTS_A));
    expect(arm.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(
      (JSON.parse(arm.requests[0]?.body ?? '{}') as { options: { $skipToken?: string } }).options.$skipToken,
    ).toBeUndefined();
    expect((JSON.parse(arm.requests[1]?.body ?? '{}') as { options: { $skipToken?: string } }).options.$skipToken).toBe(
      pages[0]?.skipToken,
    );

    // $top smaller than the emulator's page size wins; a token from another query is refused.
    const one = await client.resources({
      query: RESOURCE_GRAPH_QUERIES.vaults,
      subscriptions: [SUB_A],
      options: { top: 1 },
    });
    expect([one.count, one.totalRecords, typeof one.skipToken]).toEqual([1, 5, 'string']);
    const replay = await restErrorOf(
      client.resources({
        query: RESOURCE_GRAPH_QUERIES.privateEndpoints,
        subscriptions: [SUB_A],
        options: { skipToken: pages[0]?.skipToken ?? '' },
      }),
    );
    expect(replay.statusCode).toBe(400);
    expect(detailCodes(replay)).toEqual(['InvalidSkipToken']);
  });

  it('answers in table format when asked', async () => {
    const table = await client.resources({
      query: RESOURCE_GRAPH_QUERIES.privateEndpoints,
      subscriptions: [SUB_B],
      options: { resultFormat: 'table' },
    });
    const data = table.data as { columns: { name: string; type: string }[]; rows: unknown[][] };
    expect(data.columns).toEqual([
      { name: 'id', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'subscriptionId', type: 'string' },
      { name: 'properties', type: 'object' },
    ]);
    expect(data.rows).toEqual([[PE_B.id, 'pe-b', SUB_B, PE_B['properties']]]);
  });

  it('scopes a query to the subscriptions of a management group', async () => {
    arm.addManagementGroup('mg-platform', [SUB_A, SUB_B]);
    arm.addManagementGroup('mg-b', [SUB_B]);
    arm.addManagementGroup('mg-empty', []);

    const both = await client.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, managementGroups: ['MG-Platform'] });
    expect(idsOf(both)).toEqual(sortedIds([...VAULTS_A, VAULT_B]));
    const onlyB = await client.resources({
      query: RESOURCE_GRAPH_QUERIES.privateEndpoints,
      managementGroups: ['mg-b'],
    });
    expect(idsOf(onlyB)).toEqual([PE_B.id]);

    // A registered subscription with no resources is a valid, empty scope.
    arm.addManagementGroup('mg-quiet', [SUB_EMPTY]);
    const quiet = await client.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, managementGroups: ['mg-quiet'] });
    expect([quiet.totalRecords, quiet.count, quiet.data]).toEqual([0, 0, []]);

    const unknown = await restErrorOf(
      client.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, managementGroups: ['mg-nope'] }),
    );
    expect([unknown.statusCode, unknown.code]).toEqual([400, 'BadRequest']);
    expect(unknown.message).toMatch(/correlationId = /);
    expect(detailCodes(unknown)).toEqual(['ManagementGroupsContainInvalidIds']);
    const empty = await restErrorOf(
      client.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, managementGroups: ['mg-empty'] }),
    );
    expect([empty.statusCode, ...detailCodes(empty)]).toEqual([400, 'NoValidSubscriptionsInQueryRequest']);
  });

  it('evaluates the query it is sent: its filter, projection and order, and refuses what it cannot evaluate', async () => {
    const ids = await client.resources({
      query: "resources | where type =~ 'Microsoft.KeyVault/Vaults' | project id | order by id desc",
      subscriptions: [SUB_A],
    });
    expect((ids.data as Record<string, unknown>[]).map((r) => Object.keys(r))).toEqual(VAULTS_A.map(() => ['id']));
    expect(idsOf(ids)).toEqual([...sortedIds(VAULTS_A)].reverse());
    const typo = await client.resources({
      query: RESOURCE_GRAPH_QUERIES.vaults.replace('microsoft.keyvault/vaults', 'microsoft.keyvault/vault'),
      subscriptions: [SUB_A],
    });
    expect(typo.totalRecords).toBe(0);
    const other = await restErrorOf(
      client.resources({ query: 'resources | top 1 by name | project id', subscriptions: [SUB_A] }),
    );
    expect([other.statusCode, other.code]).toEqual([400, 'BadRequest']);
    expect(other.message).toContain('does not evaluate TopOperator');
    const broken = await restErrorOf(client.resources({ query: 'resources | where', subscriptions: [SUB_A] }));
    expect(broken.message).toContain('does not parse');
    expect(arm.requests.map((r) => r.status)).toEqual([200, 200, 400, 400]);
  });

  it('answers 429 with Retry-After and zeroed quota headers once the quota is spent (no SDK retries)', async () => {
    arm.resourceGraph.quota = { limit: 3, windowMs: 60_000 };
    const noRetry = new ResourceGraphClient(staticCredential, { ...clientOptions, retryOptions: { maxRetries: 0 } });
    const remaining: (string | undefined)[] = [];
    const statuses: number[] = [];
    let last: FullOperationResponse | undefined;
    const onResponse = (r: FullOperationResponse): void => {
      statuses.push(r.status);
      remaining.push(r.headers.get('x-ms-user-quota-remaining'));
      last = r;
    };
    for (let i = 0; i < 3; i++)
      await noRetry.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, subscriptions: [SUB_A] }, { onResponse });
    const throttled = await restErrorOf(
      noRetry.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, subscriptions: [SUB_A] }, { onResponse }),
    );

    expect([throttled.statusCode, throttled.code]).toEqual([429, 'RateLimiting']);
    expect(detailCodes(throttled)).toEqual(['RateLimiting']);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(remaining).toEqual(['2', '1', '0', '0']);
    expect(last?.headers.get('x-ms-user-quota-resets-after')).toMatch(/^00:01:00$|^00:00:[0-5]\d$/);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(arm.requests.map((r) => r.status)).toEqual([200, 200, 200, 429]);
  });

  it('lets the SDK retry a 429 after Retry-After and succeed once the window has refilled', async () => {
    arm.resourceGraph.quota = { limit: 3, windowMs: 1000 };
    const before = arm.resourceGraph.requests;
    for (let i = 0; i < 3; i++)
      await client.resources({ query: RESOURCE_GRAPH_QUERIES.privateEndpoints, subscriptions: [SUB_A] });
    let final: FullOperationResponse | undefined;
    const started = Date.now();
    const result = await client.resources(
      { query: RESOURCE_GRAPH_QUERIES.privateEndpoints, subscriptions: [SUB_A] },
      { onResponse: (r) => (final = r) },
    );

    expect(idsOf(result)).toEqual(sortedIds(PES_A));
    expect(arm.requests.map((r) => r.status)).toEqual([200, 200, 200, 429, 200]);
    expect(arm.resourceGraph.requests - before).toBe(5);
    // The retry waited out Retry-After (1 s) and landed in a fresh window: first query of three.
    const [throttled, retried] = arm.requests.slice(3);
    expect((retried?.timestamp ?? 0) - (throttled?.timestamp ?? 0)).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(final?.status).toBe(200);
    expect(final?.headers.get('x-ms-user-quota-remaining')).toBe('2');
  });

  it('applies latency, the latency fault and status faults to Resource Graph POSTs too', async () => {
    arm.latencyMs = 50;
    arm.addFault({
      kind: 'latency',
      ms: 150,
      times: 1,
      match: (r) => r.method === 'POST' && r.path.toLowerCase() === RG_PATH.toLowerCase(),
    });
    const started = Date.now();
    await client.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, subscriptions: [SUB_A] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(arm.requests[0]?.fault).toBe('latency');

    arm.latencyMs = 0;
    arm.addFault({
      kind: 'status',
      status: 503,
      retryAfterSeconds: 0,
      times: 1,
      match: (r) => r.path.toLowerCase() === RG_PATH.toLowerCase(),
    });
    const before = arm.resourceGraph.requests;
    const ok = await client.resources({ query: RESOURCE_GRAPH_QUERIES.vaults, subscriptions: [SUB_A] });
    expect(ok.count).toBe(5);
    expect(arm.requests.slice(1).map((r) => [r.status, r.fault])).toEqual([
      [503, 'status'],
      [200, undefined],
    ]);
    expect(arm.resourceGraph.requests - before).toBe(2);
  });
  it('returns only the rows the caller may read (no action of its own), and can truncate', async () => {
    const vaultsOnly = arm.trustedToken(['Microsoft.KeyVault/vaults/read']);
    const narrow = new ResourceGraphClient(
      { getToken: async () => ({ token: vaultsOnly, expiresOnTimestamp: Date.now() + 3600_000 }) },
      clientOptions,
    );
    const ask = (c: ResourceGraphClient, query: string): Promise<QueryResponse> =>
      c.resources({ query, subscriptions: [SUB_A], options: { resultFormat: 'objectArray' } });
    expect(idsOf(await ask(narrow, RESOURCE_GRAPH_QUERIES.vaults))).toEqual(sortedIds(VAULTS_A));
    expect(idsOf(await ask(narrow, RESOURCE_GRAPH_QUERIES.privateEndpoints))).toEqual([]);
    expect(arm.requests.at(-1)).toMatchObject({
      operation: 'POST Microsoft.ResourceGraph/resources',
      action: null,
      status: 200,
    });

    arm.resourceGraph.truncateAt = 2;
    try {
      const cut = await ask(client, RESOURCE_GRAPH_QUERIES.vaults);
      expect(cut).toMatchObject({ count: 2, totalRecords: 5, resultTruncated: 'true' });
      expect(cut.skipToken).toBeUndefined();
    } finally {
      arm.resourceGraph.truncateAt = undefined;
    }
  });
  it('makes the probe fail a truncated list rather than report the rows it got', async () => {
    const agent = new https.Agent({ keepAlive: true });
    const lists = (): ResourceGraphLists =>
      new ResourceGraphLists({
        credential: staticCredential,
        cloud: cloudProfile('AzureCloud', arm.url),
        subscriptions: [SUB_A],
        managementGroups: [],
        httpClient: createBoundedHttpClient({ agent }),
      });
    // One query per call (vault lists ask two: vaults and Managed HSMs), so nothing is left running after the test.
    const signal = new AbortController().signal;
    expect((await lists().listPrivateEndpoints(SUB_A, signal)).map((p) => p.name).sort()).toEqual(['pe-1', 'pe-2']);
    arm.resourceGraph.truncateAt = 1;
    try {
      await expect(lists().listPrivateEndpoints(SUB_A, signal)).rejects.toMatchObject({
        name: 'InventoryError',
        code: 'ResultTruncated',
        message: expect.stringContaining('1 of 2 rows') as unknown,
      });
    } finally {
      arm.resourceGraph.truncateAt = undefined;
      agent.destroy();
    }
  });
});
