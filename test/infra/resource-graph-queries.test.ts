import { readFileSync } from 'node:fs';
import { staticTokenCredential } from '../../src/adapters/credential';
import { ResourceGraphLists } from '../../src/adapters/resource-graph';
import { RESOURCE_GRAPH_QUERIES, type ResourceGraphQueryName } from '../../src/adapters/resource-graph-queries';
import { cloudProfile } from '../../src/probe/clouds';
import { kqlString, runKql, type KqlRow } from '../lab/kql-eval';
import { COMPILED_FILE, renderCompiledResourceGraphQueries } from '../lab/resource-graph-compiled';
import { kqlErrors } from './support/kusto';

/**
 * The probe's Resource Graph queries as queries: bound by the Kusto language service against the `resources` table as
 * Microsoft documents it, evaluated (test/lab/kql-eval.ts, which the lab's Resource Graph also uses) over rows
 * written here with literal expectations, and their projected columns held to what the adapter reads. The last test
 * edits each query the ways a careless change would and requires a check to fail.
 */
const SUB = 'aaaaaaaa-1111-4111-8111-00000000000a';
const rg = (type: string, name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/rg-x/providers/${type}/${name}`;

/** A `resources` row as Resource Graph returns it (type lower-cased). */
function row(type: string, name: string, properties: Record<string, unknown>): KqlRow {
  return {
    id: rg(type, name),
    name,
    type: type.toLowerCase(),
    tenantId: '3c5e9a1d-7b2f-4e6a-9d0c-1f2e3d4c5b6a',
    kind: '',
    location: 'westeurope',
    resourceGroup: 'rg-x',
    subscriptionId: SUB,
    managedBy: '',
    sku: null,
    plan: null,
    properties: properties as KqlRow,
    tags: {},
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

const TABLE: KqlRow[] = [
  row('Microsoft.KeyVault/vaults', 'kv-b', { vaultUri: 'https://kv-b.vault.azure.net/' }),
  row('Microsoft.KeyVault/vaults', 'kv-a', { vaultUri: 'https://kv-a.vault.azure.net/' }),
  row('Microsoft.KeyVault/managedHSMs', 'hsm-1', { hsmUri: 'https://hsm-1.managedhsm.azure.net/' }),
  row('Microsoft.KeyVault/vaults/secrets', 'kv-a/s1', {}),
  row('Microsoft.Network/privateEndpoints', 'pe-1', { subnet: { id: 'x' } }),
  row('Microsoft.Network/privateEndpointRedirectMaps', 'pe-map', {}),
  row('Microsoft.Network/networkInterfaces', 'pe-1.nic', {
    privateEndpoint: { id: rg('Microsoft.Network/privateEndpoints', 'pe-1') },
  }),
  row('Microsoft.Network/networkInterfaces', 'vm-1-nic', { virtualMachine: { id: 'vm' } }),
  row('Microsoft.Network/networkInterfaces', 'vm-2-nic', { privateEndpoint: null }),
];

const names = (rows: readonly KqlRow[]): string[] => rows.map((r) => kqlString(r['id']).split('/').slice(-1)[0] ?? '');

/** What each query must return from TABLE, in order. */
const EXPECTED: Record<ResourceGraphQueryName, string[]> = {
  vaults: ['kv-a', 'kv-b'],
  managedHsms: ['hsm-1'],
  privateEndpoints: ['pe-1'],
  networkInterfaces: ['pe-1.nic'],
};

/**
 * The top-level columns of each row the probe's Resource Graph adapter reads: the query's rows, each wrapped in a
 * Proxy that records reads, handed to the real ResourceGraphLists through a stand-in for the SDK client.
 */
async function columnsRead(name: ResourceGraphQueryName, rows: readonly KqlRow[]): Promise<string[]> {
  const read = new Set<string>();
  const proxied = rows.map(
    (r) =>
      new Proxy(r, {
        get(target, key, receiver) {
          if (typeof key === 'string') read.add(key);
          return Reflect.get(target, key, receiver) as unknown;
        },
      }),
  );
  const lists = new ResourceGraphLists({
    credential: staticTokenCredential('unused'),
    cloud: cloudProfile('AzureCloud'),
    subscriptions: [SUB],
    managementGroups: [],
  });
  const client = {
    resources: async (request: { query: string }) => ({
      totalRecords: proxied.length,
      count: proxied.length,
      resultTruncated: 'false',
      data: request.query === RESOURCE_GRAPH_QUERIES[name] ? proxied : [],
    }),
  };
  // The SDK client is the one thing replaced: paging, the per-subscription split and the mappers are the product's.
  (lists as unknown as { client: typeof client }).client = client;
  const signal = new AbortController().signal;
  if (name === 'vaults' || name === 'managedHsms') await lists.listVaults(SUB, signal);
  if (name === 'privateEndpoints') await lists.listPrivateEndpoints(SUB, signal);
  if (name === 'networkInterfaces') await lists.listNetworkInterfaces(SUB, signal);
  return [...read].sort();
}

/** Every check, for one query text: its problems (empty when the query is right). */
async function problemsOf(name: ResourceGraphQueryName, query: string): Promise<string[]> {
  const problems = kqlErrors(query, 'resourcegraph').map((d) => `does not bind: ${d.message}`);
  if (problems.length > 0) return problems;
  const rows = runKql(query, { resources: TABLE });
  if (JSON.stringify(names(rows)) !== JSON.stringify(EXPECTED[name]))
    problems.push(`returns ${JSON.stringify(names(rows))}, not ${JSON.stringify(EXPECTED[name])}`);
  const projected = Object.keys(rows[0] ?? {}).sort();
  const read = await columnsRead(name, runKql(query, { resources: TABLE }));
  const unread = projected.filter((c) => !read.includes(c));
  const missing = read.filter((c) => !projected.includes(c));
  if (unread.length > 0) problems.push(`projects ${unread.join(', ')}, which the adapter never reads`);
  if (missing.length > 0) problems.push(`the adapter reads ${missing.join(', ')}, which the query does not project`);
  return problems;
}

const QUERY_NAMES = Object.keys(RESOURCE_GRAPH_QUERIES) as ResourceGraphQueryName[];

describe("the probe's Resource Graph queries", () => {
  it.each(QUERY_NAMES)(
    '%s binds to the documented resources table, selects its rows and projects what is read',
    async (name) => {
      expect(await problemsOf(name, RESOURCE_GRAPH_QUERIES[name])).toEqual([]);
    },
  );

  it('are in the lab as the Kusto parser reads them (test/lab/resource-graph-queries.kql.json; npm run readme)', () => {
    expect(readFileSync(COMPILED_FILE, 'utf8')).toBe(renderCompiledResourceGraphQueries());
  });

  // Edits a reviewer could miss; each must make a check above fail.
  it.each([
    [
      'vaults',
      'a type filter typo',
      (q: string) => q.replace("'microsoft.keyvault/vaults'", "'microsoft.keyvault/vault'"),
    ],
    [
      'managedHsms',
      'another type',
      (q: string) => q.replace("'microsoft.keyvault/managedhsms'", "'microsoft.keyvault/vaults'"),
    ],
    [
      'privateEndpoints',
      'a prefix match',
      (q: string) =>
        q.replace(
          "type =~ 'microsoft.network/privateendpoints'",
          "type startswith 'microsoft.network/privateendpoint'",
        ),
    ],
    [
      'networkInterfaces',
      'the private endpoint filter dropped',
      (q: string) => q.replace(' and isnotnull(properties.privateEndpoint)', ''),
    ],
    ['vaults', 'properties dropped', (q: string) => q.replace(', properties', '')],
    ['privateEndpoints', 'subscriptionId dropped', (q: string) => q.replace(', subscriptionId', '')],
    [
      'networkInterfaces',
      'a column that is not in the table',
      (q: string) => q.replace('project id,', 'project id, nics,'),
    ],
    ['vaults', 'an unread column added', (q: string) => q.replace('project id,', 'project id, location,')],
    ['vaults', 'the order reversed', (q: string) => q.replace('order by id asc', 'order by id desc')],
  ] as const)('%s: %s fails a check', async (name, _what, edit) => {
    const edited = edit(RESOURCE_GRAPH_QUERIES[name]);
    expect(edited).not.toBe(RESOURCE_GRAPH_QUERIES[name]);
    let problems: string[];
    try {
      problems = await problemsOf(name, edited);
    } catch (error) {
      problems = [`fails: ${String(error)}`];
    }
    expect(problems).not.toEqual([]);
  });
});
