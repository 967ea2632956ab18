import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ArmEmulator } from '../lab/arm-emulator';
import { LAB_TENANT_ID, ManagedIdentityEndpoint, newPrincipal, tokenClaims } from '../lab/identity';
import type { SdkAnswer, SdkCall } from '../lab/identity-sdk';
import { scrubbedEnv } from '../lab/lab';
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
  });

  afterAll(async () => {
    await Promise.all([mi.stop(), arm.stop()]);
  });

  /**
   * The SDK calls, made in a child process (dist/test/lab/identity-sdk.js) whose environment carries the endpoint:
   * @azure/identity reads IDENTITY_ENDPOINT only from there, as in App Service, and this process's is never written.
   */
  function sdk(...calls: SdkCall[]): Promise<SdkAnswer[]> {
    const script = join(resolve(__dirname, '..', '..'), 'dist', 'test', 'lab', 'identity-sdk.js');
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [script, JSON.stringify(calls)], {
        env: { ...scrubbedEnv(process.env), ...mi.env(), NODE_EXTRA_CA_CERTS: pki.caCertPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) =>
        code === 0 ? done(JSON.parse(stdout) as SdkAnswer[]) : fail(new Error(`identity-sdk ${code}: ${stderr}`)),
      );
    });
  }
  /** A token from the managed identity (the system-assigned one unless a client ID is given); fails the test if none. */
  async function miToken(scope: string, clientId?: string, credential: 'managed' | 'default' = 'managed') {
    const [a] = await sdk({ kind: 'token', credential, scope, ...(clientId ? { clientId } : {}) });
    if (!a?.ok || a.token === undefined) throw new Error(`no token for ${scope}: ${a && !a.ok ? a.message : ''}`);
    return { token: a.token, expiresOnTimestamp: a.expiresOnTimestamp ?? 0 };
  }

  it('hands ManagedIdentityCredential a JWT-shaped token that the ARM emulator accepts', async () => {
    const issued = await miToken(`${arm.url}/.default`);
    expect(issued.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
    expect(tokenClaims(issued.token)).toMatchObject({
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

    const [got] = await sdk({
      kind: 'get-vault',
      clientId: user.clientId,
      armUrl: arm.url,
      subscriptionId: SUB,
      resourceGroup: RG,
      name: 'kv1',
    });
    expect(got?.ok && got.name).toBe('kv1');
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
      const issued = await miToken(`${resource}/.default`, user.clientId, 'default');
      expect(tokenClaims(issued.token)).toMatchObject({ aud: resource, appid: user.clientId, oid: user.objectId });
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
    const [err] = await sdk({
      kind: 'token',
      credential: 'managed',
      clientId: randomUUID(),
      scope: `${arm.url}/.default`,
    });
    expect(err).toMatchObject({ ok: false, isError: true });
  });

  it('ARM accepts only tokens the lab issued, for an ARM audience', async () => {
    const forged = await armRaw(arm, pki, `${vaultId('kv1')}?api-version=2026-02-01`, {
      Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.x',
    });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toEqual({
      error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' },
    });
    const vaultToken = await miToken('https://vault.azure.net/.default');
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
    const token = (await miToken(`${arm.url}/.default`)).token;
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
    const token = (await miToken(`${arm.url}/.default`)).token;
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
