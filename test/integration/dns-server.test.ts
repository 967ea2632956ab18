import { promises as dnsPromises } from 'node:dns';
import { DnsServer } from '../lab/dns-server';
import { useLabPki } from './lab-fixtures';

// The DNS server speaks no TLS, but the file keeps the shared fixture's lifecycle (a PKI made and removed).
const labPki = useLabPki();
beforeAll(() => {
  labPki();
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

  const code = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => 'resolved',
      (e: NodeJS.ErrnoException) => e.code,
    );

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
