import { isRestError } from '@azure/core-rest-pipeline';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { NetworkManagementClient } from '@azure/arm-network';
import { ArmEmulator, type ArmResource } from '../lab/arm-emulator';
import { OPERATION_ACTIONS, operationOf } from '../lab/arm-operations';
import type { LabPki } from '../lab/tls';
import {
  NIC_ID,
  PE_ID,
  RG,
  SUB,
  SUBNET_ID,
  VNET_RG,
  ZONE_ID,
  armRaw,
  rawAuth,
  rawRequest,
  nic,
  privateEndpoint,
  tokenCredential,
  useLabPki,
  vault,
  vaultId,
} from './lab-fixtures';

const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
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
    arm.put({
      id: ZONE_ID,
      name: 'privatelink.vaultcore.azure.net',
      type: 'Microsoft.Network/privateDnsZones',
      location: 'global',
      properties: {},
    });
    for (const [name, ip] of [
      ['kv1', '10.0.1.4'],
      ['kv2', '10.0.1.5'],
      ['kv3', '10.0.1.6'],
    ] as const) {
      arm.put({
        id: `${ZONE_ID}/A/${name}`,
        name,
        type: 'Microsoft.Network/privateDnsZones/A',
        properties: { ttl: 10, aRecords: [{ ipv4Address: ip }] },
      });
    }
    arm.put({
      id: `${ZONE_ID}/virtualNetworkLinks/link-vnet1`,
      name: 'link-vnet1',
      type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
      location: 'global',
      properties: {
        virtualNetwork: { id: SUBNET_ID.replace(/\/subnets\/pe$/, '') },
        registrationEnabled: false,
        virtualNetworkLinkState: 'Completed',
      },
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
    const client = new KeyVaultManagementClient(tokenCredential(token), other, {
      endpoint: arm.url,
      credentials: { scopes: [`${arm.url}/.default`] },
    });
    const err: unknown = await client.vaults
      .listBySubscription()
      .next()
      .catch((e: unknown) => e);
    expect(isRestError(err) && err.statusCode === 404 && err.code === 'SubscriptionNotFound').toBe(true);
    arm.addSubscription(other);
    const first = await client.vaults.listBySubscription().next();
    expect(first.done).toBe(true);
  });

  it('lets the SDK retry a 429 that carries Retry-After', async () => {
    arm.addFault({
      match: (r) => r.path.endsWith('/vaults/kv2'),
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
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
    expect(ipConfig?.privateLinkConnectionProperties).toEqual({
      groupId: 'vault',
      requiredMemberName: 'default',
      fqdns: ['kv1.vault.azure.net'],
    });
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
    const second = JSON.parse((await armRaw(arm, pki, `${next.pathname}${next.search}`)).body) as {
      value: ArmResource[];
      nextLink?: string;
    };
    expect(second.value.map((r) => r.name)).toEqual(['kv3']);
    expect(second.nextLink).toBeUndefined();

    const links = JSON.parse(
      (await armRaw(arm, pki, `${ZONE_ID.toUpperCase()}/virtualNetworkLinks?api-version=2024-06-01`)).body,
    ) as { value: ArmResource[] };
    expect(links.value.map((r) => r.name)).toEqual(['link-vnet1']);

    const byRg = JSON.parse(
      (
        await armRaw(
          arm,
          pki,
          `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/privateDnsZones?api-version=2024-06-01`,
        )
      ).body,
    ) as { value: ArmResource[] };
    expect(byRg.value.map((r) => r.name)).toEqual(['privatelink.vaultcore.azure.net']);
  });

  it('rejects requests without a bearer token', async () => {
    const res = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, {});
    expect(res.status).toBe(401);
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');
  });

  /** A path that reaches the operation `key` of OPERATION_ACTIONS ('<METHOD> <namespace>/<type>[/<child>...]'). */
  function pathOf(key: string): { method: string; path: string } {
    const [method = 'GET', type = ''] = key.split(' ');
    const special: Readonly<Record<string, string>> = {
      'Microsoft.Resources/subscriptions/list': '/subscriptions',
      'Microsoft.Resources/subscriptions': `/subscriptions/${SUB}`,
      'Microsoft.Resources/subscriptions/resourceGroups': `/subscriptions/${SUB}/resourceGroups`,
      'Microsoft.Resources/subscriptions/resources': `/subscriptions/${SUB}/resources`,
      'Microsoft.Resources/subscriptions/resourceGroups/resources': `/subscriptions/${SUB}/resourceGroups/${RG}/resources`,
      'Microsoft.ResourceGraph/resources': '/providers/Microsoft.ResourceGraph/resources',
    };
    const fixed = special[type];
    if (fixed) return { method, path: fixed };
    const [namespace = '', ...types] = type.split('/');
    // A POST action is the last segment after a named resource; a GET reads a named resource.
    const named = types.map((t, i) => (method === 'POST' && i === types.length - 1 ? t : `${t}/x${i}`));
    return { method, path: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/${namespace}/${named.join('/')}` };
  }

  it('answers 400 MissingApiVersionParameter on every route it serves when the api-version is missing', async () => {
    const keys = Object.keys(OPERATION_ACTIONS);
    const answers: string[] = [];
    for (const key of keys) {
      const { method, path } = pathOf(key);
      // The walk reaches every operation: the emulator's own classification names the key it was built from.
      expect([key, operationOf(method, path).key]).toEqual([key, key]);
      const url = new URL(arm.url);
      const res = await rawRequest({
        host: url.hostname,
        port: Number(url.port),
        path,
        method,
        ca: pki.caPem,
        headers: { ...rawAuth(arm), 'Content-Type': 'application/json' },
        ...(method === 'POST'
          ? { body: key.includes('ResourceGraph') ? '{"query":"Resources | limit 1"}' : '{}' }
          : {}),
      });
      const code = res.status === 400 ? (JSON.parse(res.body) as { error: { code: string } }).error.code : res.body;
      answers.push(`${key}: ${res.status} ${code}`);
    }
    expect(answers).toEqual(keys.map((key) => `${key}: 400 MissingApiVersionParameter`));
  });
});
