import { probeHealthStatusViaProxy } from '../../src/adapters/dataplane';
import { DataplaneEmulator } from '../lab/dataplane-emulator';
import { DnsServer } from '../lab/dns-server';
import { LabProxy } from '../lab/proxy';
import { createLabPki, trustLabCa } from '../lab/tls';

// The probe's proxied path through real CONNECT proxies on loopback: the request must go through the tunnel
// (never straight to the vault), keep the vault's SNI and Host, and show what a Host-rewriting proxy does.
describe('GET /healthstatus through the proxy clients would use', () => {
  const pki = createLabPki();
  let dns: DnsServer;
  let plane: DataplaneEmulator;
  const proxies: LabProxy[] = [];
  const HOST = 'kv-proxied.vault.azure.net';

  beforeAll(async () => {
    trustLabCa(pki.caPem);
    // The vault's name resolves nowhere but in the lab DNS the proxies use: a request that skipped the tunnel fails.
    dns = await DnsServer.start({ records: { [HOST]: { a: ['10.77.0.4'] } } });
    plane = await DataplaneEmulator.start({ pki, vaults: [{ host: HOST, publicNetworkAccess: 'Disabled' }], endpoints: [{ represents: '10.77.0.4', kind: 'private', servesHost: HOST }] });
  });
  afterAll(async () => {
    await Promise.all([...proxies.map((p) => p.stop()), plane.stop(), dns.stop()]);
  });

  const proxy = async (mode: 'tunnel' | 'rewrite-host'): Promise<LabProxy> => {
    const p = await LabProxy.start({ pki, mode, dnsServer: dns.address(), connectTarget: () => plane.listenerFor('10.77.0.4') });
    proxies.push(p);
    return p;
  };

  it('a tunnelling proxy: 200 from the vault, with its SNI and Host', async () => {
    const p = await proxy('tunnel');
    const o = await probeHealthStatusViaProxy(HOST, `http://user:secret@127.0.0.1:${p.port}`, AbortSignal.timeout(5000));
    expect(o).toMatchObject({ address: HOST, via: `http://127.0.0.1:${p.port}`, status: 200, tcpConnectionForbidden: false });
    expect(p.connects).toEqual([{ target: `${HOST}:443` }]);
    expect(plane.requests.at(-1)).toMatchObject({ sni: HOST, host: HOST, status: 200 });
  });

  it('a proxy that rewrites the Host: the 403 "This TCP connection does not allow access"', async () => {
    const p = await proxy('rewrite-host');
    const o = await probeHealthStatusViaProxy(HOST, `http://127.0.0.1:${p.port}`, AbortSignal.timeout(5000));
    expect(o).toMatchObject({ status: 403, tcpConnectionForbidden: true, errorMessage: 'This TCP connection does not allow access to kv-proxied.privatelink.vaultcore.azure.net.' });
  });

  it('a proxy that is not there: a connect failure, not a hang', async () => {
    const o = await probeHealthStatusViaProxy(HOST, 'http://127.0.0.1:9', AbortSignal.timeout(5000));
    expect(o.failure).toMatchObject({ phase: 'connect', code: 'ECONNREFUSED' });
  });
});
