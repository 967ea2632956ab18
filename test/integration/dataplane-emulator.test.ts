import { DataplaneEmulator } from '../lab/dataplane-emulator';
import type { LabPki } from '../lab/tls';
import { mintLabToken } from '../lab/tokens';
import { TENANT, rawRequest, useLabPki, type RawResponse } from './lab-fixtures';

const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
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
        {
          host: 'kv3.vault.azure.net',
          publicNetworkAccess: 'Enabled',
          networkAcls: { defaultAction: 'Deny', ipRules: ['198.18.0.0/15'] },
          authorization: 'access-policy',
        },
      ],
      endpoints: [
        {
          represents: '10.0.1.4',
          kind: 'private',
          servesHost: 'kv1.vault.azure.net',
          privateEndpointId: PE,
          clientAddress: '10.0.0.4',
        },
        {
          represents: '10.0.1.5',
          kind: 'private',
          servesHost: 'kv1.vault.azure.net',
          privateEndpointId: PE,
          clientAddress: '10.0.0.4',
          networkInfoForm: 'legacy',
        },
        { represents: '20.50.1.2', kind: 'public' },
        { represents: '20.50.1.3', kind: 'public', networkInfoForm: 'bare' },
      ],
    });
  });

  afterAll(async () => {
    await dp.stop();
  });

  const call = (
    represents: string,
    vaultHost: string,
    path: string,
    sni = vaultHost,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> => {
    const { host, port } = dp.listenerFor(represents);
    return rawRequest({ host, port, path, ca: pki.caPem, servername: sni, hostHeader: vaultHost, headers });
  };
  const errorOf = (res: RawResponse): { code: string; message: string; innererror?: { code: string } } =>
    (JSON.parse(res.body) as { error: { code: string; message: string; innererror?: { code: string } } }).error;

  it('answers /healthstatus 200 on every listener, whatever the Host, with the header of how the call arrived', async () => {
    const own = await call('10.0.1.4', 'kv1.vault.azure.net', '/healthstatus');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/json/);
    expect(own.headers['x-ms-keyvault-network-info']).toBe(
      `conn_type=PrivateLink;private_endpoint=${PE};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`,
    );
    expect(own.headers['x-ms-keyvault-service-version']).toBeDefined();
    // Another vault's Host on this endpoint, an unknown vault on the public path, a public call to a vault whose
    // public access is disabled: /healthstatus does not judge any of them.
    expect((await call('10.0.1.4', 'kv2.vault.azure.net', '/healthstatus')).status).toBe(200);
    expect((await call('20.50.1.2', 'nope.vault.azure.net', '/healthstatus')).status).toBe(200);
    const pub = await call('20.50.1.2', 'kv1.vault.azure.net', '/healthstatus');
    expect(pub.status).toBe(200);
    expect(pub.headers['x-ms-keyvault-network-info']).toBe(
      'conn_type=Ipv4;addr=203.0.113.10;act_addr_fam=InterNetwork;',
    );
  });

  it('sends the older header forms where an endpoint is set to', async () => {
    expect((await call('10.0.1.5', 'kv1.vault.azure.net', '/healthstatus')).headers['x-ms-keyvault-network-info']).toBe(
      'addr=10.0.0.4;act_addr_fam=InterNetworkV6;',
    );
    expect(
      (await call('20.50.1.3', 'kv2.vault.azure.net', '/healthstatus')).headers['x-ms-keyvault-network-info'],
    ).toBe('addr=203.0.113.10');
  });

  it('answers every other path 401 without a token, with the challenge', async () => {
    const secret = await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets?maxresults=1&api-version=7.5');
    expect(secret.status).toBe(401);
    expect(secret.headers['www-authenticate']).toMatch(
      /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/,
    );
    expect(JSON.parse(secret.body)).toEqual({
      error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
    });
  });

  it('judges a token: another audience or tenant is 401', async () => {
    const arm = await call(
      '10.0.1.4',
      'kv1.vault.azure.net',
      '/secrets?api-version=7.5',
      undefined,
      bearer(mintLabToken({ aud: 'https://management.azure.com' })),
    );
    expect(arm.status).toBe(401);
    expect(errorOf(arm).message).toBe(
      'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com.',
    );
    const tenant = await call(
      '20.50.1.2',
      'kv2.vault.azure.net',
      '/secrets?api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(tenant.status).toBe(401);
    expect(errorOf(tenant).message).toMatch(/^AKV10032: Invalid issuer\./);
  });

  it('with a token: the TCP connection 403 where the endpoint does not serve the Host', async () => {
    const res = await call(
      '10.0.1.4',
      'kv3.vault.azure.net',
      '/secrets?api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(res.status).toBe(403);
    expect(errorOf(res)).toEqual({
      code: 'Forbidden',
      message: 'This TCP connection does not allow access to kv3.vault.azure.net.',
    });
    const pl = await call(
      '10.0.1.4',
      'kv1.privatelink.vaultcore.azure.net',
      '/secrets?api-version=7.5',
      'kv1.vault.azure.net',
      bearer(vaultToken),
    );
    expect(errorOf(pl).message).toBe(
      'This TCP connection does not allow access to kv1.privatelink.vaultcore.azure.net.',
    );
  });

  it('with a token: the firewall on the public path, then authorization', async () => {
    const disabled = await call(
      '20.50.1.2',
      'kv1.vault.azure.net',
      '/secrets?api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(disabled.status).toBe(403);
    expect(errorOf(disabled).innererror?.code).toBe('ForbiddenByConnection');
    expect(errorOf(disabled).message).toMatch(/^Public network access is disabled/);
    const firewall = await call(
      '20.50.1.2',
      'kv3.vault.azure.net',
      '/secrets?api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(errorOf(firewall).innererror?.code).toBe('ForbiddenByFirewall');
    expect(errorOf(firewall).message).toContain('Client address: 203.0.113.10');
    // Over private link the firewall does not apply; the call reaches authorization, which the lab grants nobody.
    const rbac = await call(
      '10.0.1.4',
      'kv1.vault.azure.net',
      '/secrets?api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(rbac.status).toBe(403);
    expect(errorOf(rbac).innererror?.code).toBe('ForbiddenByRbac');
    dp.setVault({ host: 'kv3.vault.azure.net', publicNetworkAccess: 'Enabled', authorization: 'access-policy' });
    const policy = await call(
      '20.50.1.2',
      'kv3.vault.azure.net',
      '/keys?api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(errorOf(policy).innererror?.code).toBe('AccessDenied');
    expect(errorOf(policy).message).toContain('does not have keys list permission');
  });

  it('presents a certificate valid for privatelink names and records SNI, Host and the token audience', async () => {
    dp.requests.length = 0;
    const res = await call('10.0.1.4', 'kv1.vault.azure.net', '/healthstatus', 'kv1.privatelink.vaultcore.azure.net');
    expect(res.status).toBe(200);
    await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets?api-version=7.5', undefined, bearer(vaultToken));
    expect(dp.requests).toEqual([
      {
        represents: '10.0.1.4',
        sni: 'kv1.privatelink.vaultcore.azure.net',
        host: 'kv1.vault.azure.net',
        path: '/healthstatus',
        status: 200,
      },
      {
        represents: '10.0.1.4',
        sni: 'kv1.vault.azure.net',
        host: 'kv1.vault.azure.net',
        path: '/secrets',
        audience: 'https://vault.azure.net',
        status: 403,
        innerErrorCode: 'ForbiddenByRbac',
      },
    ]);
    expect(() => dp.listenerFor('10.0.9.9')).toThrow(/no dataplane endpoint/);
  });

  it('is as strict as Key Vault: an expired token is 401, no api-version is 400, a path it does not serve is 404', async () => {
    const expired = mintLabToken({ aud: 'https://vault.azure.net', exp: Math.floor(Date.now() / 1000) - 60 });
    const late = await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets?api-version=7.5', undefined, bearer(expired));
    expect([late.status, errorOf(late).message]).toEqual([
      401,
      expect.stringMatching(/^AKV10000: .*token expired at /),
    ]);
    expect(late.headers['www-authenticate']).toMatch(/^Bearer authorization=/);
    const noVersion = await call(
      '10.0.1.4',
      'kv1.vault.azure.net',
      '/secrets?maxresults=1',
      undefined,
      bearer(vaultToken),
    );
    expect([noVersion.status, errorOf(noVersion).code]).toEqual([400, 'BadParameter']);
    const empty = await call('10.0.1.4', 'kv1.vault.azure.net', '/secrets?api-version=', undefined, bearer(vaultToken));
    expect(empty.status).toBe(400);
    for (const path of [
      '/',
      '/foo?api-version=7.5',
      '/secrets/a/b/c/d?api-version=7.5',
      '/healthstatus/x?api-version=7.5',
    ]) {
      const res = await call('10.0.1.4', 'kv1.vault.azure.net', path, undefined, bearer(vaultToken));
      expect([path, res.status]).toEqual([path, path === '/' ? 400 : 404]);
    }
    // What the probe sends still reaches authorization.
    const probe = await call(
      '10.0.1.4',
      'kv1.vault.azure.net',
      '/secrets?maxresults=1&api-version=7.5',
      undefined,
      bearer(vaultToken),
    );
    expect(errorOf(probe).innererror?.code).toBe('ForbiddenByRbac');
  });
});
