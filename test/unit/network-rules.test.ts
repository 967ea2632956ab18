import { connectTarget, parseConnectTo } from '../../src/probe/connect-to';
import { isPrivateAddress } from '../../src/probe/ip';
import { noProxyExempts, proxyForHost } from '../../src/probe/proxy-env';

describe('proxyForHost', () => {
  const host = 'kv1.vault.azure.net';
  const cases: [string, Record<string, string>, string | undefined][] = [
    ['nothing set', {}, undefined],
    ['HTTPS_PROXY', { HTTPS_PROXY: 'http://p:3128' }, 'HTTPS_PROXY'],
    ['lower-case http_proxy (Azure SDKs fall back to it)', { http_proxy: 'http://p:3128' }, 'http_proxy'],
    ['exempt by suffix with dot', { HTTPS_PROXY: 'http://p', NO_PROXY: 'localhost,.vault.azure.net' }, undefined],
    ['exempt by suffix without dot', { HTTPS_PROXY: 'http://p', no_proxy: 'vault.azure.net' }, undefined],
    ['exempt by *', { HTTPS_PROXY: 'http://p', NO_PROXY: '*' }, undefined],
    ['exempt by host:443', { HTTPS_PROXY: 'http://p', NO_PROXY: 'kv1.vault.azure.net:443' }, undefined],
    ['not exempt by host:80', { HTTPS_PROXY: 'http://p', NO_PROXY: 'kv1.vault.azure.net:80' }, 'HTTPS_PROXY'],
    ['not exempt by vaultcore only', { HTTPS_PROXY: 'http://p', NO_PROXY: '.vaultcore.azure.net' }, 'HTTPS_PROXY'],
    ['not exempt by a look-alike', { HTTPS_PROXY: 'http://p', NO_PROXY: 'azure.net.evil' }, 'HTTPS_PROXY'],
  ];
  it.each(cases)('%s', (_n, env, variable) => {
    expect(proxyForHost(host, env)?.variable).toBe(variable);
  });
  it('is case-insensitive on the host', () =>
    expect(noProxyExempts('.VAULT.azure.net', 'KV1.vault.azure.net')).toBe(true));
});

describe('connect-to', () => {
  const rules = [
    parseConnectTo('10.0.1.4:443:127.0.0.1:9001'),
    parseConnectTo('kv1.vault.azure.net::127.0.0.1:9002'),
    parseConnectTo('::127.0.0.1:9003'),
  ];
  it('prefers the rule for the address, then the host, then any', () => {
    expect(connectTarget(rules, 'kv1.vault.azure.net', '10.0.1.4')).toEqual({ host: '127.0.0.1', port: 9001 });
    expect(connectTarget(rules, 'kv1.vault.azure.net', '10.0.1.5')).toEqual({ host: '127.0.0.1', port: 9002 });
    expect(connectTarget(rules, 'kv2.vault.azure.net', '10.0.2.4')).toEqual({ host: '127.0.0.1', port: 9003 });
    expect(connectTarget([], 'kv2.vault.azure.net', '10.0.2.4')).toEqual({ host: '10.0.2.4', port: 443 });
  });
  it('takes bracketed IPv6', () => {
    expect(parseConnectTo('[fd00::4]:443:[::1]:9443')).toEqual({
      fromHost: 'fd00::4',
      fromPort: 443,
      toHost: '::1',
      toPort: 9443,
    });
  });
  it('refuses bad ports', () => {
    expect(() => parseConnectTo('a:443:b:70000')).toThrow('"a:443:b:70000": port "70000" is not 1-65535');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['20.38.1.1', false],
    ['52.1.1.1', false],
    ['fd00::1', true],
    ['2603:1000::1', false],
    ['::ffff:10.0.0.1', true],
    ['nonsense', false],
  ])('%s → %s', (a, want) => expect(isPrivateAddress(a)).toBe(want));
});
