import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { NetworkManagementClient } from '@azure/arm-network';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TelemetryClient } from 'applicationinsights';
import { promises as dnsPromises } from 'node:dns';
import { rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { ArmEmulator, type ArmResource } from '../lab/arm-emulator';
import { LAB_TENANT_ID, ManagedIdentityEndpoint, newPrincipal, TokenAuthority, tokenClaims } from '../lab/identity';
import { DataplaneEmulator } from '../lab/dataplane-emulator';
import { DnsServer } from '../lab/dns-server';
import { IngestionSink, silenceAzureMonitorRemoteConfig } from '../lab/ingestion-sink';
import { createAppInsightsPublisher } from '../../src/adapters/app-insights';
import { createLabPki, trustLabCa, type LabPki } from '../lab/tls';
import { LAB_TENANT, mintLabToken, readLabToken } from '../lab/tokens';

const SUB = '6b1c2f0e-3d4a-4e5b-8c9d-0a1b2c3d4e5f';
const TENANT = '2f4a9d1c-7b3e-4c8a-9e6f-1d2c3b4a5e6f';
const RG = 'rg-kv';
const VNET_RG = 'rg-net';
const vaultId = (name: string): string => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${name}`;
const PE_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/privateEndpoints/pe-kv1`;
const NIC_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/networkInterfaces/pe-kv1.nic.0`;
const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/pe`;
const ZONE_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;

/** A credential handing out one token (the emulator's trustedToken(), which it accepts). */
const tokenCredential = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
});

function vault(name: string): ArmResource {
  return {
    id: vaultId(name),
    name,
    type: 'Microsoft.KeyVault/vaults',
    location: 'westeurope',
    tags: {},
    properties: {
      tenantId: TENANT,
      sku: { family: 'A', name: 'standard' },
      vaultUri: `https://${name}.vault.azure.net/`,
      publicNetworkAccess: 'Disabled',
      privateEndpointConnections: [
        {
          id: `${vaultId(name)}/privateEndpointConnections/pec1`,
          properties: {
            privateEndpoint: { id: PE_ID },
            privateLinkServiceConnectionState: { status: 'Approved', description: '', actionsRequired: 'None' },
            provisioningState: 'Succeeded',
          },
        },
      ],
    },
  };
}

const privateEndpoint: ArmResource = {
  id: PE_ID,
  name: 'pe-kv1',
  type: 'Microsoft.Network/privateEndpoints',
  location: 'westeurope',
  properties: {
    provisioningState: 'Succeeded',
    subnet: { id: SUBNET_ID },
    networkInterfaces: [{ id: NIC_ID }],
    privateLinkServiceConnections: [
      {
        id: `${PE_ID}/privateLinkServiceConnections/pe-kv1`,
        name: 'pe-kv1',
        properties: {
          privateLinkServiceId: vaultId('kv1'),
          groupIds: ['vault'],
          privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' },
          provisioningState: 'Succeeded',
        },
      },
    ],
    manualPrivateLinkServiceConnections: [],
    customDnsConfigs: [{ fqdn: 'kv1.vault.azure.net', ipAddresses: ['10.0.1.4'] }],
  },
};

const nic: ArmResource = {
  id: NIC_ID,
  name: 'pe-kv1.nic.0',
  type: 'Microsoft.Network/networkInterfaces',
  location: 'westeurope',
  properties: {
    provisioningState: 'Succeeded',
    ipConfigurations: [
      {
        id: `${NIC_ID}/ipConfigurations/privateEndpointIpConfig.1`,
        name: 'privateEndpointIpConfig.1',
        properties: {
          privateIPAddress: '10.0.1.4',
          privateIPAllocationMethod: 'Dynamic',
          privateIPAddressVersion: 'IPv4',
          subnet: { id: SUBNET_ID },
          primary: true,
          privateLinkConnectionProperties: { groupId: 'vault', requiredMemberName: 'default', fqdns: ['kv1.vault.azure.net'] },
        },
      },
    ],
  },
};

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection, so no keep-alive socket outlives the test. */
function rawRequest(opts: {
  host: string;
  port: number;
  path: string;
  ca: string;
  hostHeader?: string;
  servername?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: opts.host,
        port: opts.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        ca: opts.ca,
        servername: opts.servername,
        agent: false,
        headers: { ...(opts.hostHeader ? { Host: opts.hostHeader } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const rawTokens = new WeakMap<ArmEmulator, string>();
/** The Authorization header of a client the emulator trusts (one per emulator). */
function rawAuth(arm: ArmEmulator): Record<string, string> {
  let token = rawTokens.get(arm);
  if (!token) {
    token = arm.trustedToken();
    rawTokens.set(arm, token);
  }
  return { Authorization: `Bearer ${token}` };
}

function armRaw(arm: ArmEmulator, pki: LabPki, path: string, headers: Record<string, string> = rawAuth(arm)): Promise<RawResponse> {
  const url = new URL(arm.url);
  return rawRequest({ host: url.hostname, port: Number(url.port), path, ca: pki.caPem, headers });
}

let pki: LabPki;

beforeAll(() => {
  pki = createLabPki();
  trustLabCa(pki.caPem);
});

afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});

describe('lab PKI', () => {
  it('issues cached leaf certificates with DNS and IP SANs that chain to the lab CA', async () => {
    const leaf = pki.issue(['*.vault.azure.net', '127.0.0.1']);
    expect(pki.issue(['127.0.0.1', '*.VAULT.azure.net'])).toBe(leaf);
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(leaf.cert);
    expect(cert.checkIssued(new X509Certificate(pki.caPem))).toBe(true);
    expect(cert.checkHost('kv1.vault.azure.net')).toBe('*.vault.azure.net');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:*.vault.azure.net');
  });
});

describe('ARM emulator through the real Azure SDK', () => {
  let arm: ArmEmulator;
  let kv: KeyVaultManagementClient;
  let network: NetworkManagementClient;
  let token: string;

  beforeAll(async () => {
    arm = await ArmEmulator.start({ pki });
    for (const name of ['kv1', 'kv2', 'kv3', 'kv4', 'kv5']) arm.put(vault(name));
    arm.put(privateEndpoint);
    arm.put(nic);
    arm.put({ id: ZONE_ID, name: 'privatelink.vaultcore.azure.net', type: 'Microsoft.Network/privateDnsZones', location: 'global', properties: {} });
    for (const [name, ip] of [['kv1', '10.0.1.4'], ['kv2', '10.0.1.5'], ['kv3', '10.0.1.6']] as const) {
      arm.put({ id: `${ZONE_ID}/A/${name}`, name, type: 'Microsoft.Network/privateDnsZones/A', properties: { ttl: 10, aRecords: [{ ipv4Address: ip }] } });
    }
    arm.put({
      id: `${ZONE_ID}/virtualNetworkLinks/link-vnet1`,
      name: 'link-vnet1',
      type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
      location: 'global',
      properties: { virtualNetwork: { id: SUBNET_ID.replace(/\/subnets\/pe$/, '') }, registrationEnabled: false, virtualNetworkLinkState: 'Completed' },
    });
    const options = { endpoint: arm.url, credentials: { scopes: [`${arm.url}/.default`] } };
    token = arm.trustedToken();
    kv = new KeyVaultManagementClient(tokenCredential(token), SUB, options);
    network = new NetworkManagementClient(tokenCredential(token), SUB, options);
  });

  afterAll(async () => {
    await arm.stop();
  });

  beforeEach(() => {
    arm.clearFaults();
    arm.requests.length = 0;
  });

  it('pages a subscription-wide vault list across three pages', async () => {
    const names: string[] = [];
    for await (const v of kv.vaults.listBySubscription()) names.push(v.name ?? '');
    expect(names).toEqual(['kv1', 'kv2', 'kv3', 'kv4', 'kv5']);
    expect(arm.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(arm.requests[0]?.path).toBe(`/subscriptions/${SUB}/providers/Microsoft.KeyVault/vaults`);
    expect(arm.requests[1]?.query).toMatch(/skiptoken=2/);
    expect(arm.requests[2]?.query).toMatch(/skiptoken=4/);
    expect(arm.lastAuthorization).toBe(token);
  });

  it('gets a vault case-insensitively and keeps its properties nested', async () => {
    const v = await kv.vaults.get(RG.toUpperCase(), 'KV1');
    expect(v.id).toBe(vaultId('kv1'));
    expect(v.properties.vaultUri).toBe('https://kv1.vault.azure.net/');
    expect(v.properties.publicNetworkAccess).toBe('Disabled');
    const pec = v.properties.privateEndpointConnections?.[0];
    expect(pec?.privateEndpoint?.id).toBe(PE_ID);
    expect(pec?.privateLinkServiceConnectionState?.status).toBe('Approved');
    expect(pec?.provisioningState).toBe('Succeeded');
  });

  it('serves private endpoint connections embedded in the vault body', async () => {
    const pec = await kv.privateEndpointConnections.get(RG, 'kv1', 'pec1');
    expect(pec.privateEndpoint?.id).toBe(PE_ID);
    expect(pec.privateLinkServiceConnectionState?.status).toBe('Approved');
    const all: string[] = [];
    for await (const c of kv.privateEndpointConnections.listByResource(RG, 'kv1')) all.push(c.id ?? '');
    expect(all).toEqual([`${vaultId('kv1')}/privateEndpointConnections/pec1`]);
  });

  it('answers an unknown vault with a 404 RestError', async () => {
    const err: unknown = await kv.vaults.get(RG, 'missing').catch((e: unknown) => e);
    expect(isRestError(err)).toBe(true);
    if (!isRestError(err)) return;
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('ResourceNotFound');
    expect(err.message).toContain('Microsoft.KeyVault/vaults/missing');
  });

  it('answers list calls on an unknown subscription with SubscriptionNotFound, but not once it is registered', async () => {
    const other = '99999999-9999-4999-8999-999999999999';
    const client = new KeyVaultManagementClient(tokenCredential(token), other, { endpoint: arm.url, credentials: { scopes: [`${arm.url}/.default`] } });
    const err: unknown = await client.vaults.listBySubscription().next().catch((e: unknown) => e);
    expect(isRestError(err) && err.statusCode === 404 && err.code === 'SubscriptionNotFound').toBe(true);
    arm.addSubscription(other);
    const first = await client.vaults.listBySubscription().next();
    expect(first.done).toBe(true);
  });

  it('lets the SDK retry a 429 that carries Retry-After', async () => {
    arm.addFault({ match: (r) => r.path.endsWith('/vaults/kv2'), kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const v = await kv.vaults.get(RG, 'kv2');
    expect(v.name).toBe('kv2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(arm.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(arm.requests[0]?.fault).toBe('status');
  });

  it('serves private endpoints and NICs that the network SDK flattens', async () => {
    const pe = await network.privateEndpoints.get(VNET_RG, 'pe-kv1');
    expect(pe.provisioningState).toBe('Succeeded');
    expect(pe.subnet?.id).toBe(SUBNET_ID);
    expect(pe.networkInterfaces?.[0]?.id).toBe(NIC_ID);
    expect(pe.privateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe('Approved');
    expect(pe.privateLinkServiceConnections?.[0]?.privateLinkServiceId).toBe(vaultId('kv1'));
    expect(pe.customDnsConfigs?.[0]).toEqual({ fqdn: 'kv1.vault.azure.net', ipAddresses: ['10.0.1.4'] });

    const n = await network.networkInterfaces.get(VNET_RG, 'pe-kv1.nic.0');
    const ipConfig = n.ipConfigurations?.[0];
    expect(ipConfig?.privateIPAddress).toBe('10.0.1.4');
    expect(ipConfig?.privateLinkConnectionProperties).toEqual({ groupId: 'vault', requiredMemberName: 'default', fqdns: ['kv1.vault.azure.net'] });
  });

  it('lists child collections (private DNS record sets, VNet links) with nextLink paging', async () => {
    const first = await armRaw(arm, pki, `${ZONE_ID}/A?api-version=2024-06-01`);
    expect(first.status).toBe(200);
    const page1 = JSON.parse(first.body) as { value: ArmResource[]; nextLink?: string };
    expect(page1.value.map((r) => r.name)).toEqual(['kv1', 'kv2']);
    expect(page1.nextLink).toBeDefined();
    const next = new URL(page1.nextLink ?? '');
    expect(next.origin).toBe(arm.url);
    expect(next.searchParams.get('api-version')).toBe('2024-06-01');
    const second = JSON.parse((await armRaw(arm, pki, `${next.pathname}${next.search}`)).body) as { value: ArmResource[]; nextLink?: string };
    expect(second.value.map((r) => r.name)).toEqual(['kv3']);
    expect(second.nextLink).toBeUndefined();

    const links = JSON.parse((await armRaw(arm, pki, `${ZONE_ID.toUpperCase()}/virtualNetworkLinks?api-version=2024-06-01`)).body) as { value: ArmResource[] };
    expect(links.value.map((r) => r.name)).toEqual(['link-vnet1']);

    const byRg = JSON.parse((await armRaw(arm, pki, `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/privateDnsZones?api-version=2024-06-01`)).body) as { value: ArmResource[] };
    expect(byRg.value.map((r) => r.name)).toEqual(['privatelink.vaultcore.azure.net']);
  });

  it('rejects requests without a bearer token', async () => {
    const res = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, {});
    expect(res.status).toBe(401);
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');
  });

  it('injects latency, resets, truncated and malformed bodies', async () => {
    const path = `${vaultId('kv1')}?api-version=2026-02-01`;
    arm.addFault({ match: () => true, kind: 'latency', ms: 150, times: 1 });
    const started = Date.now();
    expect((await armRaw(arm, pki, path)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    arm.addFault({ match: () => true, kind: 'reset', times: 1 });
    await expect(armRaw(arm, pki, path)).rejects.toMatchObject({ code: 'ECONNRESET' });

    arm.addFault({ match: () => true, kind: 'truncate', times: 1 });
    await expect(armRaw(arm, pki, path)).rejects.toThrow();

    arm.addFault({ match: () => true, kind: 'malformed', times: 1 });
    const malformed = await armRaw(arm, pki, path);
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.body) as unknown).toThrow();

    arm.addFault({ match: (r) => r.method === 'GET', kind: 'status', status: 503, times: 1 });
    const unavailable = await armRaw(arm, pki, path);
    expect(unavailable.status).toBe(503);
    expect((JSON.parse(unavailable.body) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');

    expect((await armRaw(arm, pki, path)).status).toBe(200);
    expect(arm.requests.map((r) => r.fault ?? '-')).toEqual(['latency', 'reset', 'truncate', 'malformed', 'status', '-']);
  });

  it('lets an AbortSignal end a hanging request', async () => {
    arm.addFault({ match: (r) => r.path.endsWith('/vaults/kv3'), kind: 'hang', times: 1 });
    const started = Date.now();
    const err: unknown = await kv.vaults.get(RG, 'kv3', { abortSignal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops promptly while a request hangs', async () => {
    const other = await ArmEmulator.start({ pki });
    other.addFault({ match: () => true, kind: 'hang' });
    const pending = armRaw(other, pki, '/subscriptions/x/resourceGroups/y').catch((e: unknown) => e);
    for (let i = 0; i < 100 && other.requests.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(other.requests).toHaveLength(1);
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('managed identity endpoint and the ARM emulator it issues tokens for', () => {
  let mi: ManagedIdentityEndpoint;
  let arm: ArmEmulator;
  const system = newPrincipal('system-assigned');
  const user = { clientId: 'c0ffee00-0000-4000-8000-000000000001', objectId: 'c0ffee00-0000-4000-8000-0000000000b1', displayName: 'user-assigned' };
  const saved: Record<string, string | undefined> = {};
  // Unauthenticated request to the endpoint, as MSAL's App Service source makes it.
  const miGet = (query: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> =>
    fetch(`${mi.url}?${query}`, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  beforeAll(async () => {
    mi = await ManagedIdentityEndpoint.start({ systemAssigned: system, userAssigned: [user] });
    arm = await ArmEmulator.start({ pki, authority: mi.authority });
    arm.put(vault('kv1'));
    arm.grant(system, `/subscriptions/${SUB}`, ['Microsoft.KeyVault/vaults/read']);
    arm.grant(user, `/subscriptions/${SUB}/resourceGroups/${RG}`, ['Microsoft.KeyVault/*/read']);
    // @azure/identity reads IDENTITY_ENDPOINT from process.env, as in App Service; restored in afterAll.
    for (const [k, v] of Object.entries(mi.env())) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await Promise.all([mi.stop(), arm.stop()]);
  });

  it('hands ManagedIdentityCredential a JWT-shaped token that the ARM emulator accepts', async () => {
    const credential = new ManagedIdentityCredential();
    const token = await credential.getToken(`${arm.url}/.default`);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
    expect(tokenClaims(token.token)).toMatchObject({ aud: arm.url, tid: LAB_TENANT_ID, oid: system.objectId, appid: system.clientId });
    expect(mi.requests.at(-1)).toMatchObject({ path: '/msi/token', apiVersion: '2019-08-01', resource: arm.url, headerOk: true, status: 200, issuedTo: system.clientId });

    const client = new KeyVaultManagementClient(new ManagedIdentityCredential({ clientId: user.clientId }), SUB, { endpoint: arm.url, credentials: { scopes: [`${arm.url}/.default`] } });
    expect((await client.vaults.get(RG, 'kv1')).name).toBe('kv1');
    expect(mi.requests.at(-1)).toMatchObject({ clientId: user.clientId, issuedTo: user.clientId });
    expect(tokenClaims(arm.lastAuthorization ?? '')?.['appid']).toBe(user.clientId);
    expect(arm.requests.at(-1)).toMatchObject({ status: 200, principal: user.clientId, operation: 'GET Microsoft.KeyVault/vaults', action: 'Microsoft.KeyVault/vaults/read' });
  });

  it('issues tokens for the Key Vault data plane, Managed HSM and monitoring audiences of every cloud', async () => {
    for (const resource of ['https://vault.azure.net', 'https://managedhsm.azure.net', 'https://vault.azure.cn', 'https://vault.usgovcloudapi.net', 'https://managedhsm.azure.cn', 'https://monitor.azure.com']) {
      const token = await new DefaultAzureCredential({ managedIdentityClientId: user.clientId }).getToken(`${resource}/.default`);
      expect(tokenClaims(token.token)).toMatchObject({ aud: resource, appid: user.clientId, oid: user.objectId });
    }
  });

  it('refuses a client_id that is not assigned to the app, and a wrong or missing X-IDENTITY-HEADER, in App Service\'s error shape', async () => {
    const foreign = await miGet(`api-version=2019-08-01&resource=${encodeURIComponent(arm.url)}&client_id=${randomUUID()}`, { 'X-IDENTITY-HEADER': mi.header });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual({ statusCode: 400, message: expect.stringContaining('is assigned to this app') as unknown, correlationId: expect.any(String) as unknown });
    const wrong = await miGet(`api-version=2019-08-01&resource=${encodeURIComponent(arm.url)}`, { 'X-IDENTITY-HEADER': 'nope' });
    expect(wrong).toMatchObject({ status: 401, body: { statusCode: 401 } });
    const missing = await miGet(`api-version=2019-08-01&resource=${encodeURIComponent(arm.url)}`, {});
    expect(missing).toMatchObject({ status: 400, body: { statusCode: 400, message: expect.stringContaining('X-IDENTITY-HEADER') as unknown } });
    const err: unknown = await new ManagedIdentityCredential({ clientId: randomUUID() }).getToken(`${arm.url}/.default`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('ARM accepts only tokens the lab issued, for an ARM audience', async () => {
    const forged = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.x' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toEqual({ error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    const vaultToken = await new ManagedIdentityCredential().getToken('https://vault.azure.net/.default');
    const misdirected = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, { Authorization: `Bearer ${vaultToken.token}` });
    expect(misdirected.status).toBe(401);
    expect((JSON.parse(misdirected.body) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'InvalidAuthenticationTokenAudience', message: expect.stringContaining("wrong audience or resource 'https://vault.azure.net'") as unknown });
  });

  it('answers 403 AuthorizationFailed where no role assignment allows the action, naming action, scope and object id', async () => {
    const other = 'aaaaaaaa-0000-4000-8000-00000000000a';
    arm.put({ ...vault('kv-elsewhere'), id: `/subscriptions/${other}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-elsewhere` });
    const token = (await new ManagedIdentityCredential().getToken(`${arm.url}/.default`)).token;
    const res = await armRaw(arm, pki, `/subscriptions/${other}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${system.objectId}' with object id '${system.objectId}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/${other}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
    // The system identity may read vaults, not private endpoints.
    const pe = await armRaw(arm, pki, `/subscriptions/${SUB}/providers/Microsoft.Network/privateEndpoints?api-version=2026-01-01`, { Authorization: `Bearer ${token}` });
    expect(pe.status).toBe(403);
    expect(arm.requests.at(-1)).toMatchObject({ operation: 'GET Microsoft.Network/privateEndpoints', action: 'Microsoft.Network/privateEndpoints/read', status: 403 });
  });

  it('lists only the subscriptions the caller holds a role assignment in, with no action needed', async () => {
    const token = (await new ManagedIdentityCredential().getToken(`${arm.url}/.default`)).token;
    const res = await armRaw(arm, pki, '/subscriptions?api-version=2022-12-01', { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { value: { subscriptionId: string }[] }).value.map((v) => v.subscriptionId)).toEqual([SUB]);
    expect(arm.requests.at(-1)).toMatchObject({ operation: 'GET Microsoft.Resources/subscriptions/list', action: null });
  });

  it('refuses api-versions ARM does not route, and sends the read rate-limit headers', async () => {
    const ok = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`);
    expect(Number(ok.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeGreaterThan(200);
    expect(Number(ok.headers['x-ms-ratelimit-remaining-subscription-global-reads'])).toBeGreaterThan(3000);
    const missing = await armRaw(arm, pki, vaultId('kv1'));
    expect((JSON.parse(missing.body) as { error: { code: string } }).error.code).toBe('MissingApiVersionParameter');
    const unknownVersion = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2099-01-01`);
    expect(unknownVersion.status).toBe(400);
    expect((JSON.parse(unknownVersion.body) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'NoRegisteredProviderFound', message: expect.stringContaining("API version '2099-01-01' for type 'vaults'") as unknown });
    // Private DNS has its own versions: the Network one is refused there.
    const zone = await armRaw(arm, pki, `${ZONE_ID}?api-version=2026-01-01`);
    expect((JSON.parse(zone.body) as { error: { code: string } }).error.code).toBe('NoRegisteredProviderFound');
    const malformed = await armRaw(arm, pki, `/subscriptions/${SUB}/resourceGroups?api-version=latest`);
    expect(malformed.status).toBe(400);
    expect((JSON.parse(malformed.body) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'InvalidApiVersionParameter', message: expect.stringMatching(/^The api-version 'latest' is invalid\. The supported versions are '2025-04-01,/) as unknown });
    const rgVersion = await armRaw(arm, pki, `/subscriptions/${SUB}/resourceGroups?api-version=2023-02-01`);
    expect((JSON.parse(rgVersion.body) as { error: { code: string } }).error.code).toBe('InvalidApiVersionParameter');
  });
});

describe('DNS server through c-ares', () => {
  let dns: DnsServer;
  let resolver: dnsPromises.Resolver;
  const many = Array.from({ length: 40 }, (_, i) => `10.2.0.${i + 1}`);

  beforeAll(async () => {
    dns = await DnsServer.start({
      records: {
        'kv1.vault.azure.net': { cname: 'kv1.privatelink.vaultcore.azure.net.', ttl: 300 },
        'kv1.privatelink.vaultcore.azure.net': { a: ['10.0.1.4'], ttl: 10 },
        'gone.vault.azure.net': { cname: 'gone.privatelink.vaultcore.azure.net' },
        'nx.lab.test': { rcode: 'NXDOMAIN' },
        'servfail.lab.test': { rcode: 'SERVFAIL' },
        'refused.lab.test': { rcode: 'REFUSED' },
        'silent.lab.test': { silent: true },
        'empty.lab.test': { empty: true },
        'v6.lab.test': { aaaa: ['fd00::4'] },
        'many.lab.test': { a: many },
        'loop-a.lab.test': { cname: 'loop-b.lab.test' },
        'loop-b.lab.test': { cname: 'loop-a.lab.test' },
      },
    });
    resolver = new dnsPromises.Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([dns.address()]);
  });

  afterAll(async () => {
    resolver.cancel();
    await dns.stop();
  });

  const code = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: NodeJS.ErrnoException) => e.code);

  it('follows a CNAME chain to A records with per-record TTLs', async () => {
    expect(await resolver.resolve4('KV1.vault.azure.net', { ttl: true })).toEqual([{ address: '10.0.1.4', ttl: 10 }]);
    expect(await resolver.resolveCname('kv1.vault.azure.net')).toEqual(['kv1.privatelink.vaultcore.azure.net']);
    expect(await resolver.resolve6('v6.lab.test')).toEqual(['fd00::4']);
  });

  it('maps behaviours to the resolver errors the probe will see', async () => {
    expect(await code(resolver.resolve4('nx.lab.test'))).toBe('ENOTFOUND');
    expect(await code(resolver.resolve4('unknown.lab.test'))).toBe('ENOTFOUND');
    expect(await code(resolver.resolve4('gone.vault.azure.net'))).toBe('ENOTFOUND');
    expect(await code(resolver.resolve4('servfail.lab.test'))).toBe('ESERVFAIL');
    expect(await code(resolver.resolve4('refused.lab.test'))).toBe('EREFUSED');
    expect(await code(resolver.resolve4('silent.lab.test'))).toBe('ETIMEOUT');
    expect(await code(resolver.resolve4('empty.lab.test'))).toBe('ENODATA');
    expect(await code(resolver.resolve4('v6.lab.test'))).toBe('ENODATA');
    expect(await code(resolver.resolveCname('kv1.privatelink.vaultcore.azure.net'))).toBe('ENODATA');
    expect(await code(resolver.resolve4('loop-a.lab.test'))).toBe('ESERVFAIL');
  });

  it('truncates a large UDP answer and serves it whole over TCP', async () => {
    dns.queries.length = 0;
    const addresses = await resolver.resolve4('many.lab.test');
    expect([...addresses].sort()).toEqual([...many].sort());
    expect(dns.queries).toEqual([
      { name: 'many.lab.test', type: 'A', transport: 'udp' },
      { name: 'many.lab.test', type: 'A', transport: 'tcp' },
    ]);
  });

  it('applies changes made with set() and setAll()', async () => {
    dns.set('kv1.privatelink.vaultcore.azure.net', { a: ['10.9.9.9'], ttl: 5 });
    expect(await resolver.resolve4('kv1.vault.azure.net')).toEqual(['10.9.9.9']);
    dns.setAll({ 'only.lab.test': { a: ['192.0.2.1'] } });
    expect(await code(resolver.resolve4('kv1.vault.azure.net'))).toBe('ENOTFOUND');
    expect(await resolver.resolve4('only.lab.test', { ttl: true })).toEqual([{ address: '192.0.2.1', ttl: 60 }]);
  });
});

describe('Key Vault data plane emulator', () => {
  let dp: DataplaneEmulator;
  const PE = '/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-kv1';
  const vaultToken = mintLabToken({ aud: 'https://vault.azure.net' });
  const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    dp = await DataplaneEmulator.start({
      pki,
      vaults: [
        { host: 'kv1.vault.azure.net', publicNetworkAccess: 'Disabled' },
        { host: 'kv2.vault.azure.net', publicNetworkAccess: 'Enabled', tenantId: TENANT },
        { host: 'kv3.vault.azure.net', publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny', ipRules: ['198.18.0.0/15'] }, authorization: 'access-policy' },
      ],
      endpoints: [
        { represents: '10.0.1.4', kind: 'private', servesHost: 'kv1.vault.azure.net', privateEndpointId: PE, clientAddress: '10.0.0.4' },
        { represents: '10.0.1.5', kind: 'private', servesHost: 'kv1.vault.azure.net', privateEndpointId: PE, clientAddress: '10.0.0.4', networkInfoForm: 'legacy' },
        { represents: '20.50.1.2', kind: 'public' },
        { represents: '20.50.1.3', kind: 'public', networkInfoForm: 'bare' },
      ],
    });
  });

  afterAll(async () => {
    await dp.stop();
  });

  const call = (represents: string, vaultHost: string, path: string, sni = vaultHost, headers: Record<string, string> = {}): Promise<RawResponse> => {
    const { host, port } = dp.listenerFor(represents);
    return rawRequest({ host, port, path, ca: pki.caPem, servername: sni, hostHeader: vaultHost, headers });
  };
  const errorOf = (res: RawResponse): { code: string; message: string; innererror?: { code: string } } => (JSON.parse(res.body) as { error: { code: string; message: string; innererror?: { code: string } } }).error;

  it('answers /healthstatus 200 on every listener, whatever the Host, with the header of how the call arrived', async () => {
    const own = await call('10.0.1.4', 'kv1.vault.azure.net', '/healthstatus');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/json/);
    expect(own.headers['x-ms-keyvault-network-info']).toBe(`conn_type=PrivateLink;private_endpoint=${PE};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`);
    expect(own.headers['x-ms-keyvault-service-version']).toBeDefined();
    // Another vault's Host on this endpoint, an unknown vault on the public path, a public call to a vault whose
    // public access is disabled: /healthstatus does not judge any of them.
    expect((await call('10.0.1.4', 'kv2.vault.azure.net', '/healthstatus')).status).toBe(200);
    expect((await call('20.50.1.2', 'nope.vault.azure.net', '/healthstatus')).status).toBe(200);
    const pub = await call('20.50.1.2', 'kv1.vault.azure.net', '/healthstatus');
    expect(pub.status).toBe(200);
    expect(pub.headers['x-ms-keyvault-network-info']).toBe('conn_type=Ipv4;addr=203.0.113.10;act_addr_fam=InterNetwork;');
  });

  it('sends the older header forms where an endpoint is set to', async () => {
    expect((await call('10.0.1.5', 'kv1.vault.azure.net', '/healthstatus')).headers['x-ms-keyvault-network-info']).toBe('addr=10.0.0.4;act_addr_fam=InterNetworkV6;');
    expect((await call('20.50.1.3', 'kv2.vault.azure.net', '/healthstatus')).headers['x-ms-keyvault-network-info']).toBe('addr=203.0.113.10');
  });

  it('answers every other path 401 without a token, with the challenge', async () => {
    const secret = await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets?maxresults=1&api-version=7.5');
    expect(secret.status).toBe(401);
    expect(secret.headers['www-authenticate']).toMatch(/^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/);
    expect(JSON.parse(secret.body)).toEqual({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
  });

  it('judges a token: another audience or tenant is 401', async () => {
    const arm = await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets', undefined, bearer(mintLabToken({ aud: 'https://management.azure.com' })));
    expect(arm.status).toBe(401);
    expect(errorOf(arm).message).toBe('AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com.');
    const tenant = await call('20.50.1.2', 'kv2.vault.azure.net', '/secrets', undefined, bearer(vaultToken));
    expect(tenant.status).toBe(401);
    expect(errorOf(tenant).message).toMatch(/^AKV10032: Invalid issuer\./);
  });

  it('with a token: the TCP connection 403 where the endpoint does not serve the Host', async () => {
    const res = await call('10.0.1.4', 'kv3.vault.azure.net', '/secrets', undefined, bearer(vaultToken));
    expect(res.status).toBe(403);
    expect(errorOf(res)).toEqual({ code: 'Forbidden', message: 'This TCP connection does not allow access to kv3.vault.azure.net.' });
    const pl = await call('10.0.1.4', 'kv1.privatelink.vaultcore.azure.net', '/secrets', 'kv1.vault.azure.net', bearer(vaultToken));
    expect(errorOf(pl).message).toBe('This TCP connection does not allow access to kv1.privatelink.vaultcore.azure.net.');
  });

  it('with a token: the firewall on the public path, then authorization', async () => {
    const disabled = await call('20.50.1.2', 'kv1.vault.azure.net', '/secrets', undefined, bearer(vaultToken));
    expect(disabled.status).toBe(403);
    expect(errorOf(disabled).innererror?.code).toBe('ForbiddenByConnection');
    expect(errorOf(disabled).message).toMatch(/^Public network access is disabled/);
    const firewall = await call('20.50.1.2', 'kv3.vault.azure.net', '/secrets', undefined, bearer(vaultToken));
    expect(errorOf(firewall).innererror?.code).toBe('ForbiddenByFirewall');
    expect(errorOf(firewall).message).toContain('Client address: 203.0.113.10');
    // Over private link the firewall does not apply; the call reaches authorization, which the lab grants nobody.
    const rbac = await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets', undefined, bearer(vaultToken));
    expect(rbac.status).toBe(403);
    expect(errorOf(rbac).innererror?.code).toBe('ForbiddenByRbac');
    dp.setVault({ host: 'kv3.vault.azure.net', publicNetworkAccess: 'Enabled', authorization: 'access-policy' });
    const policy = await call('20.50.1.2', 'kv3.vault.azure.net', '/keys', undefined, bearer(vaultToken));
    expect(errorOf(policy).innererror?.code).toBe('AccessDenied');
    expect(errorOf(policy).message).toContain('does not have keys list permission');
  });

  it('presents a certificate valid for privatelink names and records SNI, Host and the token audience', async () => {
    dp.requests.length = 0;
    const res = await call('10.0.1.4', 'kv1.vault.azure.net', '/healthstatus', 'kv1.privatelink.vaultcore.azure.net');
    expect(res.status).toBe(200);
    await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets', undefined, bearer(vaultToken));
    expect(dp.requests).toEqual([
      { represents: '10.0.1.4', sni: 'kv1.privatelink.vaultcore.azure.net', host: 'kv1.vault.azure.net', path: '/healthstatus', status: 200 },
      { represents: '10.0.1.4', sni: 'kv1.vault.azure.net', host: 'kv1.vault.azure.net', path: '/secrets', audience: 'https://vault.azure.net', status: 403, innerErrorCode: 'ForbiddenByRbac' },
    ]);
    expect(() => dp.listenerFor('10.0.9.9')).toThrow(/no dataplane endpoint/);
  });
});


describe('Application Insights ingestion sink with the real SDK', () => {
  let sink: IngestionSink;

  beforeAll(async () => {
    sink = await IngestionSink.start({ pki });
  });

  afterAll(async () => {
    await sink.stop();
  });

  function newClient(): TelemetryClient {
    const client = new TelemetryClient(sink.connectionString(), { useGlobalProviders: false });
    // Retried batches would otherwise be written under os.tmpdir() and replayed into a later run's sink.
    client.config.enableUseDiskRetryCaching = false;
    return client;
  }

  it('receives availability results and events', async () => {
    // Without this the exporter would poll settings.sdk.monitor.azure.com 5-15 s after it is created.
    expect(silenceAzureMonitorRemoteConfig()).toBe(true);
    const client = newClient();
    client.trackAvailability({ name: 'kv1', id: 'x', duration: 12, success: false, runLocation: 'loc', message: 'DnsDrift', properties: { vault: 'kv1' } });
    client.trackEvent({ name: 'KvProbeFinding', properties: { vault: 'kv1', finding: 'DnsDrift' } });
    await client.flush();
    await sink.waitFor(() => sink.availability().length === 1 && sink.events('KvProbeFinding').length === 1, 5000);
    await client.shutdown();

    expect(sink.availability()[0]).toMatchObject({ name: 'kv1', id: 'x', success: false, runLocation: 'loc', message: 'DnsDrift', duration: '00:00:00.012', properties: { vault: 'kv1' } });
    expect(sink.events('KvProbeFinding')[0]).toMatchObject({ properties: { vault: 'kv1', finding: 'DnsDrift' } });
    expect(sink.envelopes[0]?.iKey).toBe('00000000-0000-0000-0000-000000000001');
    expect(sink.otherRequests).toEqual([]);
  });

  it('sees the production publisher (src/adapters/app-insights.ts, disk retry cache on) retry after a 503 with Retry-After', async () => {
    sink.envelopes.length = 0;
    const postsBefore = sink.posts;
    sink.failNext(1, 503);
    // A fresh iKey: the SDK's offline store is kept per key, so nothing retried here can reach another test's sink.
    const publisher = createAppInsightsPublisher(sink.connectionString(randomUUID()));
    publisher.publish({ availability: [], events: [{ name: 'AfterOutage', properties: { vault: 'kv1' } }] });
    const started = Date.now();
    expect(await publisher.flush(10_000)).toBe(true);
    await sink.waitFor(() => sink.events('AfterOutage').length === 1, 8000);
    expect(sink.posts - postsBefore).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('accepts gzip NDJSON posts and 404s anything else', async () => {
    const url = new URL(sink.url);
    const envelope = { name: 'Microsoft.ApplicationInsights.Event', time: new Date().toISOString(), iKey: 'k', data: { baseType: 'EventData', baseData: { ver: 2, name: 'Raw' } }, ver: 1 };
    const body = gzipSync(`${JSON.stringify(envelope)}\n${JSON.stringify(envelope)}\n`);
    const res = await rawRequest({ host: url.hostname, port: Number(url.port), path: '/v2/track', method: 'POST', ca: pki.caPem, body, headers: { 'Content-Encoding': 'gzip', 'Content-Type': 'application/x-json-stream' } });
    expect(JSON.parse(res.body)).toEqual({ itemsReceived: 2, itemsAccepted: 2, appId: null, errors: [] });
    expect(sink.events('Raw')).toHaveLength(2);

    const live = await rawRequest({ host: url.hostname, port: Number(url.port), path: '/QuickPulseService.svc/ping?ikey=k', method: 'POST', ca: pki.caPem, body: '{}' });
    expect(live.status).toBe(404);
    expect(sink.otherRequests.at(-1)).toMatchObject({ method: 'POST', path: '/QuickPulseService.svc/ping' });
  });
});

describe('Application Insights ingestion sink: as strict as Breeze', () => {
  const IKEY = '11111111-2222-4333-8444-555555555555';
  const authority = new TokenAuthority();
  const publisher = newPrincipal('publisher');
  const stranger = newPrincipal('no role on the resource');
  let sink: IngestionSink;

  beforeAll(async () => {
    sink = await IngestionSink.start({ pki, iKey: IKEY, entra: { authority, publishers: [publisher] } });
  });
  afterAll(() => sink.stop());

  const envelope = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    ver: 1,
    name: 'Microsoft.ApplicationInsights.Event',
    time: new Date().toISOString(),
    iKey: IKEY,
    data: { baseType: 'EventData', baseData: { ver: 2, name: 'Strict' } },
    ...over,
  });
  const post = async (items: unknown[], token?: string): Promise<{ status: number; body: { itemsAccepted: number; errors: { index: number; statusCode: number; message: string }[] } }> => {
    const url = new URL(sink.url);
    const res = await rawRequest({
      host: url.hostname,
      port: Number(url.port),
      path: '/v2.1/track',
      method: 'POST',
      ca: pki.caPem,
      body: JSON.stringify(items),
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    return { status: res.status, body: JSON.parse(res.body) as never };
  };

  it('takes only Entra tokens for the monitoring audience, from a principal allowed to publish', async () => {
    expect((await post([envelope()])).status).toBe(401);
    expect((await post([envelope()], authority.issue(publisher, 'https://management.azure.com/', 3600, 'static').token)).status).toBe(401);
    expect((await post([envelope()], authority.issue(stranger, 'https://monitor.azure.com', 3600, 'static').token)).status).toBe(403);
    const ok = await post([envelope()], authority.issue(publisher, 'https://monitor.azure.com', 3600, 'static').token);
    expect(ok).toMatchObject({ status: 200, body: { itemsAccepted: 1, errors: [] } });
    expect(sink.postLog.at(-1)).toMatchObject({ status: 200, bearerFor: publisher.clientId, audience: 'https://monitor.azure.com' });
  });

  it('refuses items with another iKey, without a valid time, or with a bad ver, one by one (206)', async () => {
    const token = authority.issue(publisher, 'https://monitor.azure.com/', 3600, 'static').token;
    const before = sink.events('Strict').length;
    const res = await post(
      [
        envelope(),
        envelope({ iKey: '00000000-0000-0000-0000-000000000001' }),
        envelope({ time: undefined }),
        envelope({ time: new Date(Date.now() - 49 * 3600_000).toISOString() }),
        envelope({ ver: 'one' }),
        envelope({ data: { baseType: 'EventData', baseData: { name: 'Strict' } } }),
      ],
      token,
    );
    expect(res.status).toBe(206);
    expect(res.body.itemsAccepted).toBe(1);
    expect(res.body.errors.map((e) => [e.index, e.statusCode])).toEqual([[1, 400], [2, 400], [3, 400], [4, 400], [5, 400]]);
    expect(res.body.errors[0]?.message).toContain('Invalid instrumentation key');
    expect(sink.events('Strict').length - before).toBe(1);
  });

  it('plays an outage: 503 and 429 with Retry-After, then refuses connections, then accepts', async () => {
    const token = authority.issue(publisher, 'https://monitor.azure.com', 3600, 'static').token;
    sink.outageSequence([{ status: 503, retryAfterSeconds: 2 }, { status: 429, retryAfterSeconds: 1 }, { refuseMs: 300 }]);
    const first = await post([envelope()], token);
    expect(first.status).toBe(503);
    const second = await post([envelope()], token);
    expect(second.status).toBe(429);
    await new Promise((r) => setTimeout(r, 50));
    await expect(post([envelope()], token)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 400));
    expect((await post([envelope()], token)).status).toBe(200);
    expect(sink.refusals).toBe(1);
  });
});
