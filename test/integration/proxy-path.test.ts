import { probeDataplaneViaProxy } from '../../src/adapters/dataplane-proxy';
import { authenticatedReadPath } from '../../src/probe/clouds';
import { DataplaneEmulator } from '../lab/dataplane-emulator';
import { DnsServer } from '../lab/dns-server';
import { LabProxy, type ProxyMode } from '../lab/proxy';
import { createLabPki, trustLabCa } from '../lab/tls';
import { mintLabToken } from '../lab/tokens';

// The probe's proxied path through real CONNECT proxies on loopback: the request must go through the tunnel
// (never straight to the vault), keep the vault's SNI and Host, and show what an inspecting proxy does.
describe('the data plane through the proxy clients would use', () => {
  const pki = createLabPki();
  const untrusted = createLabPki(undefined, { organisation: 'Contoso TLS Inspection' });
  let dns: DnsServer;
  let plane: DataplaneEmulator;
  const proxies: LabProxy[] = [];
  const HOST = 'kv-proxied.vault.azure.net';
  const PE =
    '/subscriptions/4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b/resourceGroups/network/providers/Microsoft.Network/privateEndpoints/pe-kv-proxied';
  const auth = { token: mintLabToken({ aud: 'https://vault.azure.net' }), path: authenticatedReadPath({}) };

  beforeAll(async () => {
    trustLabCa(pki.caPem);
    // The vault's name resolves nowhere but in the lab DNS the proxies use: a request that skipped the tunnel fails.
    dns = await DnsServer.start({ records: { [HOST]: { a: ['10.77.0.4'] } } });
    plane = await DataplaneEmulator.start({
      pki,
      vaults: [{ host: HOST, publicNetworkAccess: 'Disabled' }],
      endpoints: [
        {
          represents: '10.77.0.4',
          kind: 'private',
          servesHost: HOST,
          privateEndpointId: PE,
          clientAddress: '10.0.0.4',
        },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all([...proxies.map((p) => p.stop()), plane.stop(), dns.stop()]);
  });

  const proxy = async (mode: ProxyMode): Promise<LabProxy> => {
    const p = await LabProxy.start({
      pki,
      mode,
      untrustedPki: untrusted,
      dnsServer: dns.address(),
      connectTarget: () => plane.listenerFor('10.77.0.4'),
    });
    proxies.push(p);
    return p;
  };

  it('a tunnelling proxy: 200 from the vault over private link, its SNI and Host kept, the read reaches authorization', async () => {
    const p = await proxy('tunnel');
    const o = await probeDataplaneViaProxy(
      HOST,
      `http://user:secret@127.0.0.1:${p.port}`,
      AbortSignal.timeout(5000),
      auth,
    );
    expect(o).toMatchObject({
      address: HOST,
      via: `http://127.0.0.1:${p.port}`,
      status: 200,
      tcpConnectionForbidden: false,
    });
    expect(o.networkInfo).toBe(
      `conn_type=PrivateLink;private_endpoint=${PE};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`,
    );
    expect(o.authenticated).toMatchObject({
      path: '/secrets',
      status: 403,
      innerErrorCode: 'ForbiddenByRbac',
      tcpConnectionForbidden: false,
    });
    expect(p.connects).toEqual([{ target: `${HOST}:443` }, { target: `${HOST}:443` }]);
    expect(plane.requests.slice(-2)).toMatchObject([
      { sni: HOST, host: HOST, path: '/healthstatus', status: 200 },
      { sni: HOST, host: HOST, path: '/secrets', status: 403, audience: 'https://vault.azure.net' },
    ]);
  });

  it('a proxy that rewrites the Host: /healthstatus still answers 200, only the authenticated read gets the 403', async () => {
    const p = await proxy('rewrite-host');
    const o = await probeDataplaneViaProxy(HOST, `http://127.0.0.1:${p.port}`, AbortSignal.timeout(5000), auth);
    expect(o).toMatchObject({ status: 200, tcpConnectionForbidden: false });
    expect(o.authenticated).toMatchObject({
      status: 403,
      tcpConnectionForbidden: true,
      errorMessage: 'This TCP connection does not allow access to kv-proxied.privatelink.vaultcore.azure.net.',
    });
  });

  it('a proxy that inspects TLS with an untrusted CA: a verification failure naming subject and issuer, and nothing sent', async () => {
    const p = await proxy('inspect-untrusted');
    const before = plane.requests.length;
    const o = await probeDataplaneViaProxy(HOST, `http://127.0.0.1:${p.port}`, AbortSignal.timeout(5000), auth);
    expect(o.failure).toMatchObject({ phase: 'tls' });
    expect(o.tls).toMatchObject({ authorized: false });
    expect(o.tls?.subject).toMatch(/^CN=kv-proxied.vault.azure.net/);
    expect(o.tls?.issuer).toMatch(/O=Contoso TLS Inspection/);
    expect(o.authenticated).toBeUndefined();
    expect(plane.requests.length).toBe(before);
  });

  it('a proxy that is not there: a connect failure, not a hang', async () => {
    const o = await probeDataplaneViaProxy(HOST, 'http://127.0.0.1:9', AbortSignal.timeout(5000));
    expect(o.failure).toMatchObject({ phase: 'connect', code: 'ECONNREFUSED' });
  });
});
