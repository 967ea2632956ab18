import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { randomUUID } from 'node:crypto';
import { ArmEmulator } from '../lab/arm-emulator';
import { LAB_TENANT_ID, ManagedIdentityEndpoint, newPrincipal, tokenClaims } from '../lab/identity';
import type { LabPki } from '../lab/tls';
import { RG, SUB, ZONE_ID, armRaw, useLabPki, vault, vaultId } from './lab-fixtures';

const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
});

describe('managed identity endpoint and the ARM emulator it issues tokens for', () => {
  let mi: ManagedIdentityEndpoint;
  let arm: ArmEmulator;
  const system = newPrincipal('system-assigned');
  const user = {
    clientId: 'c0ffee00-0000-4000-8000-000000000001',
    objectId: 'c0ffee00-0000-4000-8000-0000000000b1',
    displayName: 'user-assigned',
  };
  const saved: Record<string, string | undefined> = {};
  // Unauthenticated request to the endpoint, as MSAL's App Service source makes it.
  const miGet = (
    query: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> =>
    fetch(`${mi.url}?${query}`, { headers }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

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
    expect(tokenClaims(token.token)).toMatchObject({
      aud: arm.url,
      tid: LAB_TENANT_ID,
      oid: system.objectId,
      appid: system.clientId,
    });
    expect(mi.requests.at(-1)).toMatchObject({
      path: '/msi/token',
      apiVersion: '2019-08-01',
      resource: arm.url,
      headerOk: true,
      status: 200,
      issuedTo: system.clientId,
    });

    const client = new KeyVaultManagementClient(new ManagedIdentityCredential({ clientId: user.clientId }), SUB, {
      endpoint: arm.url,
      credentials: { scopes: [`${arm.url}/.default`] },
    });
    expect((await client.vaults.get(RG, 'kv1')).name).toBe('kv1');
    expect(mi.requests.at(-1)).toMatchObject({ clientId: user.clientId, issuedTo: user.clientId });
    expect(tokenClaims(arm.lastAuthorization ?? '')?.['appid']).toBe(user.clientId);
    expect(arm.requests.at(-1)).toMatchObject({
      status: 200,
      principal: user.clientId,
      operation: 'GET Microsoft.KeyVault/vaults',
      action: 'Microsoft.KeyVault/vaults/read',
    });
  });

  it('issues tokens for the Key Vault data plane, Managed HSM and monitoring audiences of every cloud', async () => {
    for (const resource of [
      'https://vault.azure.net',
      'https://managedhsm.azure.net',
      'https://vault.azure.cn',
      'https://vault.usgovcloudapi.net',
      'https://managedhsm.azure.cn',
      'https://monitor.azure.com',
    ]) {
      const token = await new DefaultAzureCredential({ managedIdentityClientId: user.clientId }).getToken(
        `${resource}/.default`,
      );
      expect(tokenClaims(token.token)).toMatchObject({ aud: resource, appid: user.clientId, oid: user.objectId });
    }
  });

  it("refuses a client_id that is not assigned to the app, and a wrong or missing X-IDENTITY-HEADER, in App Service's error shape", async () => {
    const foreign = await miGet(
      `api-version=2019-08-01&resource=${encodeURIComponent(arm.url)}&client_id=${randomUUID()}`,
      { 'X-IDENTITY-HEADER': mi.header },
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual({
      statusCode: 400,
      message: expect.stringContaining('is assigned to this app') as unknown,
      correlationId: expect.any(String) as unknown,
    });
    const wrong = await miGet(`api-version=2019-08-01&resource=${encodeURIComponent(arm.url)}`, {
      'X-IDENTITY-HEADER': 'nope',
    });
    expect(wrong).toMatchObject({ status: 401, body: { statusCode: 401 } });
    const missing = await miGet(`api-version=2019-08-01&resource=${encodeURIComponent(arm.url)}`, {});
    expect(missing).toMatchObject({
      status: 400,
      body: { statusCode: 400, message: expect.stringContaining('X-IDENTITY-HEADER') as unknown },
    });
    const err: unknown = await new ManagedIdentityCredential({ clientId: randomUUID() })
      .getToken(`${arm.url}/.default`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('ARM accepts only tokens the lab issued, for an ARM audience', async () => {
    const forged = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, {
      Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.x',
    });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toEqual({
      error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' },
    });
    const vaultToken = await new ManagedIdentityCredential().getToken('https://vault.azure.net/.default');
    const misdirected = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, {
      Authorization: `Bearer ${vaultToken.token}`,
    });
    expect(misdirected.status).toBe(401);
    expect((JSON.parse(misdirected.body) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'InvalidAuthenticationTokenAudience',
      message: expect.stringContaining("wrong audience or resource 'https://vault.azure.net'") as unknown,
    });
  });

  it('answers 403 AuthorizationFailed where no role assignment allows the action, naming action, scope and object id', async () => {
    const other = 'aaaaaaaa-0000-4000-8000-00000000000a';
    arm.put({
      ...vault('kv-elsewhere'),
      id: `/subscriptions/${other}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-elsewhere`,
    });
    const token = (await new ManagedIdentityCredential().getToken(`${arm.url}/.default`)).token;
    const res = await armRaw(
      arm,
      pki,
      `/subscriptions/${other}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`,
      { Authorization: `Bearer ${token}` },
    );
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${system.objectId}' with object id '${system.objectId}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/${other}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
    // The system identity may read vaults, not private endpoints.
    const pe = await armRaw(
      arm,
      pki,
      `/subscriptions/${SUB}/providers/Microsoft.Network/privateEndpoints?api-version=2026-01-01`,
      { Authorization: `Bearer ${token}` },
    );
    expect(pe.status).toBe(403);
    expect(arm.requests.at(-1)).toMatchObject({
      operation: 'GET Microsoft.Network/privateEndpoints',
      action: 'Microsoft.Network/privateEndpoints/read',
      status: 403,
    });
  });

  it('lists only the subscriptions the caller holds a role assignment in, with no action needed', async () => {
    const token = (await new ManagedIdentityCredential().getToken(`${arm.url}/.default`)).token;
    const res = await armRaw(arm, pki, '/subscriptions?api-version=2022-12-01', { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(
      (JSON.parse(res.body) as { value: { subscriptionId: string }[] }).value.map((v) => v.subscriptionId),
    ).toEqual([SUB]);
    expect(arm.requests.at(-1)).toMatchObject({
      operation: 'GET Microsoft.Resources/subscriptions/list',
      action: null,
    });
  });

  it('refuses api-versions ARM does not route, and sends the read rate-limit headers', async () => {
    const ok = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`);
    expect(Number(ok.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeGreaterThan(200);
    expect(Number(ok.headers['x-ms-ratelimit-remaining-subscription-global-reads'])).toBeGreaterThan(3000);
    const missing = await armRaw(arm, pki, vaultId('kv1'));
    expect((JSON.parse(missing.body) as { error: { code: string } }).error.code).toBe('MissingApiVersionParameter');
    const unknownVersion = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2099-01-01`);
    expect(unknownVersion.status).toBe(400);
    expect((JSON.parse(unknownVersion.body) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'NoRegisteredProviderFound',
      message: expect.stringContaining("API version '2099-01-01' for type 'vaults'") as unknown,
    });
    // Private DNS has its own versions: the Network one is refused there.
    const zone = await armRaw(arm, pki, `${ZONE_ID}?api-version=2026-01-01`);
    expect((JSON.parse(zone.body) as { error: { code: string } }).error.code).toBe('NoRegisteredProviderFound');
    const malformed = await armRaw(arm, pki, `/subscriptions/${SUB}/resourceGroups?api-version=latest`);
    expect(malformed.status).toBe(400);
    expect((JSON.parse(malformed.body) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'InvalidApiVersionParameter',
      message: expect.stringMatching(
        /^The api-version 'latest' is invalid\. The supported versions are '2025-04-01,/,
      ) as unknown,
    });
    const rgVersion = await armRaw(arm, pki, `/subscriptions/${SUB}/resourceGroups?api-version=2023-02-01`);
    expect((JSON.parse(rgVersion.body) as { error: { code: string } }).error.code).toBe('InvalidApiVersionParameter');
  });
});
