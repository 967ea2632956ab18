import { diagnose, factsOf, RULES, type ExplanationRule } from '../../src/probe/diagnoses';
import { finding, FINDING_CODES, type Finding, type FindingCode, type FindingDetails } from '../../src/probe/findings';

/** The values one finding's facts are made of: two findings share a fact when built from the same bag. */
interface Bag {
  address: string;
  endpoint: string;
  zone: string;
  recordSet: string;
  name: string;
  vnet: string;
  resolver: 'os' | 'dns';
  server: string;
  proxy: string;
  public: boolean;
}

const SUB = '11111111-1111-4111-8111-111111111111';
const ZONE = (rg: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const A: Bag = {
  address: '10.0.1.4',
  endpoint: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-a`,
  zone: ZONE('dns-a'),
  recordSet: `${ZONE('dns-a')}/A/kv-a`,
  name: 'kv-a',
  vnet: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet-a`,
  resolver: 'os',
  server: '10.0.0.53',
  proxy: 'http://10.0.0.9:3128',
  public: true,
};
/** Nothing in common with A. */
const B: Bag = {
  address: '10.0.2.4',
  endpoint: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-b`,
  zone: ZONE('dns-b'),
  recordSet: `${ZONE('dns-b')}/A/kv-b`,
  name: 'kv-b',
  vnet: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet-b`,
  resolver: 'dns',
  server: '10.0.9.53',
  proxy: 'http://10.0.9.9:3128',
  public: false,
};

/** Details of each code made from a bag (written here, not taken from src/: the test states what each code carries). */
const SAMPLE: { [C in FindingCode]: (b: Bag) => FindingDetails[C] } = {
  ARM_READ_FAILED: (b) => ({ operation: 'read', resourceId: b.endpoint }),
  ENDPOINT_READ_FAILED: (b) => ({ privateEndpointId: b.endpoint, statusCode: 404 }),
  VAULT_NOT_FOUND: (b) => ({ vault: b.name, subscriptions: [SUB] }),
  RUN_DEADLINE_EXCEEDED: () => ({ deadlineMs: 1 }),
  DATAPLANE_AUTH_UNAVAILABLE: () => ({ audience: 'https://vault.azure.net', error: 'x' }),
  DATAPLANE_TOKEN_REJECTED: (b) => ({ address: b.address, status: 401, via: b.proxy }),
  PROBE_STEP_FAILED: () => ({ stage: 'compare', error: 'x' }),
  VAULT_URI_MISMATCH: (b) => ({ host: `${b.name}.vault.azure.net`, uriHost: 'other' }),
  FOREIGN_ENDPOINT: (b) => ({ privateEndpointId: b.endpoint, reason: 'denied' }),
  PE_CONNECTION_NOT_APPROVED: (b) => ({
    privateEndpointId: b.endpoint,
    side: 'vault',
    status: 'Pending',
    ...(b.public ? { noApprovedConnection: true } : {}),
  }),
  PE_NOT_PROVISIONED: (b) => ({ privateEndpointId: b.endpoint, side: 'endpoint', provisioningState: 'Failed' }),
  NO_PRIVATE_ENDPOINT: () => ({ publicNetworkAccess: 'Disabled' }),
  CONNECTION_REQUEST_PENDING: (b) => ({
    privateEndpointId: b.endpoint,
    connectionId: `${b.endpoint}.conn`,
    reason: 'denied',
  }),
  VAULT_UNREACHABLE_BY_DESIGN: (b) => ({ publicAccess: 'disabled', vnetId: b.vnet, endpoints: [b.endpoint] }),
  ZONE_RECORD_STALE: (b) => ({ zone: b.zone, record: b.recordSet, address: b.address }),
  // The fallback link only in bag A: B's missing record falls back nowhere.
  ZONE_RECORD_MISSING: (b) => ({
    address: b.address,
    privateEndpointId: b.endpoint,
    zones: [b.zone],
    record: b.name,
    ...(b.public ? { fallbackLink: `${b.zone}/virtualNetworkLinks/l` } : {}),
  }),
  ZONE_NOT_LINKED: (b) => ({ zone: b.zone, vnetId: b.vnet, linkedVnets: [] }),
  ZONE_GROUP_MISSING: (b) => ({ privateEndpointId: b.endpoint }),
  NXDOMAIN_SPLIT_BRAIN: (b) => ({ zone: b.zone, vnetId: b.vnet, record: b.name }),
  DNS_PRIVATE_IP_MISMATCH: (b) => ({
    address: b.address,
    expected: [],
    resolver: b.resolver,
    privateEndpointId: b.endpoint,
  }),
  DNS_PUBLIC_IP: (b) => ({ address: b.address, expected: [], resolver: b.resolver }),
  DNS_NO_PRIVATELINK_CNAME: (b) => ({ cnames: [], expectedCname: `${b.name}.privatelink.vaultcore.azure.net` }),
  DNS_NXDOMAIN: (b) => ({ resolver: b.resolver, host: `${b.name}.vault.azure.net` }),
  DNS_FAILURE: (b) => ({ resolver: b.resolver, host: `${b.name}.vault.azure.net`, errorKind: 'x', errorCode: 'x' }),
  DNS_RESOLVERS_DISAGREE: (b) => ({ os: [b.address], dns: [], servers: [b.server] }),
  MODEL_DISAGREES: (b) => ({
    predicted: 'NXDOMAIN',
    observed: b.address,
    reliedOn: [b.vnet, b.zone],
    address: [b.address],
    servers: [b.server],
  }),
  ENDPOINT_BELONGS_TO_OTHER_RESOURCE: (b) => ({
    address: b.address,
    privateEndpointId: b.endpoint,
    otherResourceIds: [],
  }),
  CUSTOM_DNS_NOT_FORWARDING: (b) => ({ server: b.server, answered: [], expected: [] }),
  DATAPLANE_ENDPOINT_NOT_PREFERRED: (b) => ({
    address: b.address,
    privateEndpointId: b.endpoint,
    preferred: [],
    via: b.proxy,
  }),
  DATAPLANE_FANOUT_CAPPED: (b) => ({ host: `${b.name}.vault.azure.net`, total: 9, probed: [b.address], notProbed: [] }),
  DNS_ADDRESSES_CAPPED: (b) => ({
    host: `${b.name}.vault.azure.net`,
    total: 20,
    judged: 16,
    leftOut: 4,
    sample: [b.address],
  }),
  DNS_UNREACHED_ENDPOINT: (b) => ({
    address: b.address,
    privateEndpointId: b.endpoint,
    expected: [],
    resolver: b.resolver,
  }),
  RESOLVER_FORWARDING_LOOP: (b) => ({
    ruleset: `${b.vnet}-rs`,
    rule: 'kv',
    domain: 'vault.azure.net.',
    target: b.server,
    vnetId: b.vnet,
    inboundEndpointId: `${b.vnet}-in`,
    hosts: [`${b.name}.vault.azure.net`],
    server: b.server,
  }),
  DATAPLANE_TCP_CONNECTION_FORBIDDEN: (b) => ({
    address: b.address,
    status: 403,
    request: 'authenticated',
    via: b.proxy,
  }),
  DATAPLANE_FORBIDDEN: (b) => ({
    address: b.address,
    status: 403,
    request: 'authenticated',
    via: b.proxy,
    innerErrorCode: b.public ? 'ForbiddenByConnection' : 'ForbiddenByRbac',
  }),
  DATAPLANE_UNREACHABLE: (b) => ({ address: b.address, phase: 'connect', errorCode: 'ECONNREFUSED', via: b.proxy }),
  DATAPLANE_NOT_PRIVATE: (b) => ({ address: b.address, rule: 'public', via: b.proxy }),
  DATAPLANE_TLS_UNTRUSTED: (b) => ({ address: b.address, error: 'x', via: b.proxy }),
  DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE: (b) => ({
    address: b.address,
    privateEndpointId: b.endpoint,
    otherResourceIds: [],
    networkInfo: 'x',
    via: b.proxy,
  }),
  PROXY_IN_PATH: (b) => ({ variable: 'HTTPS_PROXY', proxy: b.proxy }),
  PRIVATELINK_HOST_IN_USE: (b) => ({ host: `${b.name}.privatelink.vaultcore.azure.net`, where: 'configuration' }),
  CREDENTIAL_UNAVAILABLE: () => ({ tried: ['AzureCliCredential: not logged in'] }),
};

const make = (code: FindingCode, bag: Bag): Finding =>
  finding(code, `${code} (${bag.name})`, SAMPLE[code](bag) as never, {
    resourceId: bag.zone,
    fix: [`fix ${code}`],
  }) as Finding;

/**
 * Rule and code pairs whose fact is the VNet's whole resolution or the public path: a finding of that code always
 * carries it (a resolver answer is asked of this VNet's resolvers; NO_PRIVATE_ENDPOINT means every path is public),
 * so no "not shared" case exists with the code's own details.
 */
const ALWAYS_SHARED = new Set([
  'ZONE_NOT_LINKED>resolver',
  'CUSTOM_DNS_NOT_FORWARDING>resolver',
  'DNS_NO_PRIVATELINK_CNAME>resolver',
  'NO_PRIVATE_ENDPOINT>path',
  // A fallback link stands for the VNet's resolution: the "not shared" cases are written out below.
  'ZONE_RECORD_MISSING>resolver',
]);

const cases = RULES.flatMap((rule: ExplanationRule) => rule.explains.map((code) => ({ rule, code })));

describe('each explanation rule', () => {
  test.each(cases.map((c) => [`${c.rule.root} explains ${c.code} sharing ${c.rule.shared}`, c] as const))(
    '%s: explained when the fact is shared',
    (_, { rule, code }) => {
      const root = make(rule.root, A);
      const other = make(code, A);
      const { diagnoses, explainedBy } = diagnose([root, other]);
      expect(explainedBy).toEqual([null, rule.root]);
      expect(diagnoses).toHaveLength(1);
      expect(diagnoses[0]).toMatchObject({ code: rule.root, root: 0, explained: [1], explains: [code] });
    },
  );

  test.each(
    cases
      .filter((c) => !ALWAYS_SHARED.has(`${c.rule.root}>${c.rule.shared}`))
      .map((c) => [`${c.rule.root} and ${c.code} not sharing ${c.rule.shared}`, c] as const),
  )('%s: two roots', (_, { rule, code }) => {
    // Everything differs, so no rule of the table applies either.
    const { diagnoses, explainedBy } = diagnose([make(rule.root, A), make(code, B)]);
    expect(explainedBy).toEqual([null, null]);
    expect(diagnoses.map((d) => d.code)).toEqual([rule.root, code]);
  });

  test('the always-shared pairs are exactly the ones stated', () => {
    const kinds = new Set(RULES.map((r) => `${r.root}>${r.shared}`));
    for (const k of ALWAYS_SHARED) expect(kinds.has(k)).toBe(true);
  });
});

describe('issue 20: the causes the network features add', () => {
  test('a missing record explains the public answer only where the link falls back (NxDomainRedirect)', () => {
    const missing = (bag: Bag): Finding => make('ZONE_RECORD_MISSING', bag);
    const publicIp = make('DNS_PUBLIC_IP', { ...A, address: '198.51.100.7' });
    // Shared: the zone link serving this VNet redirects, so the resolvers answered publicly for the missing name.
    const shared = diagnose([publicIp, missing(A), make('DATAPLANE_FORBIDDEN', { ...A, address: '198.51.100.7' })]);
    expect(shared.explainedBy).toEqual(['ZONE_RECORD_MISSING', null, 'ZONE_RECORD_MISSING']);
    expect(shared.diagnoses).toMatchObject([
      { code: 'ZONE_RECORD_MISSING', explains: ['DNS_PUBLIC_IP', 'DATAPLANE_FORBIDDEN'] },
    ]);
    // Not shared: without the fallback (the default policy answers NXDOMAIN), the public answer has another cause.
    const apart = diagnose([publicIp, missing({ ...B, resolver: 'os' })]);
    expect(apart.explainedBy).toEqual([null, null]);
  });

  test("a resolution loop explains the failures of the names it catches, and its DNS server's answer", () => {
    const loop = make('RESOLVER_FORWARDING_LOOP', A);
    const failOs = make('DNS_FAILURE', A);
    const failDns = make('DNS_FAILURE', { ...A, resolver: 'dns' });
    const server = make('CUSTOM_DNS_NOT_FORWARDING', A);
    const shared = diagnose([failOs, failDns, loop, server]);
    expect(shared.explainedBy).toEqual([
      'RESOLVER_FORWARDING_LOOP',
      'RESOLVER_FORWARDING_LOOP',
      null,
      'RESOLVER_FORWARDING_LOOP',
    ]);
    expect(shared.diagnoses).toMatchObject([
      { code: 'RESOLVER_FORWARDING_LOOP', severity: 'error', explains: ['DNS_FAILURE', 'CUSTOM_DNS_NOT_FORWARDING'] },
    ]);
    // Another vault name (not caught by the rule) and another DNS server: the loop explains neither.
    const apart = diagnose([make('DNS_FAILURE', B), loop, make('CUSTOM_DNS_NOT_FORWARDING', B)]);
    // (B's own server explains B's failure.)
    expect(apart.explainedBy).toEqual(['CUSTOM_DNS_NOT_FORWARDING', null, null]);
  });
});

describe('the rule table', () => {
  test('no two codes explain each other, through any chain (every chain ends at a root)', () => {
    const edges = new Map<FindingCode, Set<FindingCode>>();
    for (const r of RULES)
      for (const e of r.explains) if (e !== r.root) edges.set(r.root, (edges.get(r.root) ?? new Set()).add(e));
    const reach = (from: FindingCode, seen = new Set<FindingCode>()): Set<FindingCode> => {
      for (const n of edges.get(from) ?? []) if (!seen.has(n)) reach(n, seen.add(n));
      return seen;
    };
    for (const code of FINDING_CODES) expect([code, reach(code).has(code)]).toEqual([code, false]);
  });

  test('every code carries the facts its rules compare', () => {
    for (const r of RULES) {
      expect([r.root, factsOf(make(r.root, A))[r.shared]?.length ?? 0]).not.toEqual([r.root, 0]);
      for (const c of r.explains) expect([c, factsOf(make(c, A))[r.shared]?.length ?? 0]).not.toEqual([c, 0]);
    }
  });
});

describe('diagnose', () => {
  const stale = (address: string, recordSet = A.recordSet): Finding =>
    make('ZONE_RECORD_STALE', { ...A, address, recordSet });

  test('a chain ends at its root: the record explains the answer, which explains the 403 there', () => {
    const findings = [
      make('DNS_PRIVATE_IP_MISMATCH', { ...A, endpoint: B.endpoint }),
      make('ENDPOINT_BELONGS_TO_OTHER_RESOURCE', { ...A, endpoint: B.endpoint }),
      stale(A.address),
      make('ZONE_RECORD_MISSING', { ...A, address: '10.0.1.5' }),
      make('DATAPLANE_TCP_CONNECTION_FORBIDDEN', A),
    ];
    const { diagnoses, explainedBy } = diagnose(findings);
    expect(explainedBy).toEqual([
      'ZONE_RECORD_STALE',
      'ZONE_RECORD_STALE',
      null,
      'ZONE_RECORD_STALE',
      'ZONE_RECORD_STALE',
    ]);
    expect(diagnoses).toEqual([
      {
        code: 'ZONE_RECORD_STALE',
        severity: 'error',
        title: 'A private DNS zone holds an A record for the vault that points at no endpoint of it',
        message: 'ZONE_RECORD_STALE (kv-a)',
        remediation: expect.any(String),
        resourceId: A.zone,
        object: 'zone privatelink.vaultcore.azure.net (dns-a)',
        fix: ['fix ZONE_RECORD_STALE'],
        confirm: [],
        explains: [
          'DNS_PRIVATE_IP_MISMATCH',
          'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
          'ZONE_RECORD_MISSING',
          'DATAPLANE_TCP_CONNECTION_FORBIDDEN',
        ],
        root: 2,
        explained: [0, 1, 3, 4],
      },
    ]);
  });

  test('two wrong addresses in one record set are one diagnosis; in two record sets, two', () => {
    expect(diagnose([stale('10.0.1.8'), stale('10.0.1.9')]).diagnoses.map((d) => d.explained)).toEqual([[1]]);
    const two = diagnose([stale('10.0.1.8'), stale('10.0.1.9', B.recordSet)]);
    expect(two.diagnoses.map((d) => d.root)).toEqual([0, 1]);
  });

  test('of two findings of one code, the earlier is the root', () => {
    const os = make('DNS_FAILURE', A);
    const dns = make('DNS_FAILURE', { ...A, resolver: 'dns' });
    expect(diagnose([os, dns]).explainedBy).toEqual([null, 'DNS_FAILURE']);
  });

  test("a diagnosis' severity is the worst of its members: a proxy's warning explains the 403's error", () => {
    const d = diagnose([make('DATAPLANE_TCP_CONNECTION_FORBIDDEN', A), make('PROXY_IN_PATH', A)]);
    expect(d.explainedBy).toEqual(['PROXY_IN_PATH', null]);
    expect(d.diagnoses).toMatchObject([{ code: 'PROXY_IN_PATH', severity: 'error', root: 1, explained: [0] }]);
  });

  test('two independent faults give two diagnoses', () => {
    const d = diagnose([make('PE_CONNECTION_NOT_APPROVED', A), make('DATAPLANE_AUTH_UNAVAILABLE', A)]);
    expect(d.diagnoses.map((x) => x.code)).toEqual(['PE_CONNECTION_NOT_APPROVED', 'DATAPLANE_AUTH_UNAVAILABLE']);
  });

  test('no findings, no diagnoses', () => {
    expect(diagnose([])).toEqual({ diagnoses: [], explainedBy: [] });
  });

  test('a cycle in a given table stops where it closes', () => {
    const rules: ExplanationRule[] = [
      { root: 'DNS_PUBLIC_IP', explains: ['DATAPLANE_FORBIDDEN'], shared: 'address', because: 'x' },
      { root: 'DATAPLANE_FORBIDDEN', explains: ['DNS_PUBLIC_IP'], shared: 'address', because: 'x' },
    ];
    const d = diagnose([make('DNS_PUBLIC_IP', A), make('DATAPLANE_FORBIDDEN', A)], rules);
    // Each walk stops where it meets a finding it has passed: every finding ends up a root of its own.
    expect(d.explainedBy).toEqual([null, null]);
  });
});
