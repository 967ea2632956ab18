import { checkResolversAgree } from '../../src/probe/checks/resolvers-agree';
import type { ObservedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, SUB } from './builders';

/**
 * DNS_RESOLVERS_DISAGREE: the OS resolver against DNS, and against Azure DNS asked directly. Written after
 * `npm run mutate` found these lines covered by no unit test; every expectation is a literal.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const privateVault = expected([endpoint('pe1', '10.0.1.4')]);
const publicVault = expected([], 'Enabled');
const azure = (o: ObservedState, addresses: string[]): ObservedState => ({
  ...o,
  customDns: [{ server: '168.63.129.16', kind: 'azure', addresses }],
});

describe('the OS resolver against DNS', () => {
  it('names both answers and removes the hosts-file line of what only the OS resolver returns', () => {
    const [f, ...rest] = checkResolversAgree(input(privateVault, observed({ os: ['10.0.1.9'], dns: ['10.0.1.4'] })));
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'The OS resolver returns 10.0.1.9 for kv1.vault.azure.net but DNS (127.0.0.1:53) returns 10.0.1.4: a hosts-file entry, a local cache or split DNS is in the way.',
    );
    expect(f?.details).toEqual({ os: ['10.0.1.9'], dns: ['10.0.1.4'], servers: ['127.0.0.1:53'] });
    expect(f?.resourceId).toBe(VAULT);
    expect(f?.remediation).toBe(
      'Only getaddrinfo returns 10.0.1.9: remove the hosts-file line that maps it to kv1.vault.azure.net (the command keeps /etc/hosts.bak), or flush the local DNS cache; if no such line exists, look for split DNS or a search domain that answers the name.',
    );
    expect(f?.fix).toEqual([
      "sudo sed -i.bak -E '/^[[:space:]]*10\\.0\\.1\\.9[[:space:]].*kv1\\.vault\\.azure\\.net/d' /etc/hosts",
    ]);
    expect(f?.confirm).toEqual(["getent ahosts 'kv1.vault.azure.net'", "grep -i 'kv1.vault.azure.net' /etc/hosts"]);
  });

  it('the OS resolver returns a subset: nothing only it returns, no fix, "its answer"', () => {
    const [f] = checkResolversAgree(
      input(privateVault, {
        ...observed({ os: ['10.0.1.4'], dns: ['10.0.1.4', '10.0.1.5'] }),
        dns: { ...observed().dns, dns: { ...observed().dns.dns, servers: [], addresses: ['10.0.1.4', '10.0.1.5'] } },
      }),
    );
    expect(f?.message).toBe(
      'The OS resolver returns 10.0.1.4 for kv1.vault.azure.net but DNS returns 10.0.1.4, 10.0.1.5: a hosts-file entry, a local cache or split DNS is in the way.',
    );
    expect(f?.fix).toBeUndefined();
    expect(f?.remediation).toMatch(/^Only getaddrinfo returns its answer: /);
  });

  it('IPv6 from getaddrinfo alone is no disagreement (DNS asks A only); either side failing is none either', () => {
    expect(
      checkResolversAgree(input(privateVault, observed({ os: ['10.0.1.4', 'fd00::4'], dns: ['10.0.1.4'] }))),
    ).toEqual([]);
    expect(
      checkResolversAgree(
        input(
          privateVault,
          observed({ os: ['10.0.1.9'], dnsError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 't' } }),
        ),
      ),
    ).toEqual([]);
  });
});

describe('Azure DNS asked directly against the OS resolver', () => {
  it('the OS answer is not what this site expects and Azure DNS answers otherwise: named, with both commands', () => {
    const o = azure(observed({ os: ['10.0.1.9'], dns: ['10.0.1.9'] }), ['10.0.1.4']);
    const [f, ...rest] = checkResolversAgree(input(privateVault, o));
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'Azure DNS (168.63.129.16) returns 10.0.1.4 for kv1.vault.azure.net but the OS resolver here returns 10.0.1.9: the DNS servers this VNet uses do not answer as Azure DNS does.',
    );
    expect(f?.details).toEqual({ os: ['10.0.1.9'], dns: ['10.0.1.4'], servers: ['168.63.129.16'] });
    expect(f?.confirm).toEqual([
      "nslookup 'kv1.vault.azure.net' '168.63.129.16'",
      "getent ahosts 'kv1.vault.azure.net'",
    ]);
    expect(f?.resourceId).toBe(VAULT);
  });

  it('Azure DNS returning nothing is said so', () => {
    const [f] = checkResolversAgree(input(privateVault, azure(observed({ os: ['10.0.1.9'] }), [])));
    expect(f?.message).toBe(
      'Azure DNS (168.63.129.16) returns nothing for kv1.vault.azure.net but the OS resolver here returns 10.0.1.9: the DNS servers this VNet uses do not answer as Azure DNS does.',
    );
  });

  it('the OS answer is what this site expects: Azure DNS answering otherwise is by design', () => {
    expect(checkResolversAgree(input(privateVault, azure(observed({ os: ['10.0.1.4'] }), ['20.1.2.3'])))).toEqual([]);
  });

  it('a public vault: a public OS answer is as expected, a private one is not', () => {
    expect(checkResolversAgree(input(publicVault, azure(observed({ os: ['20.1.2.3'] }), ['10.0.1.4'])))).toEqual([]);
    const [f] = checkResolversAgree(input(publicVault, azure(observed({ os: ['10.0.1.9'] }), ['20.1.2.3'])));
    expect(f?.details).toEqual({ os: ['10.0.1.9'], dns: ['20.1.2.3'], servers: ['168.63.129.16'] });
    expect(checkResolversAgree(input(publicVault, azure(observed({ os: [], dns: [] }), ['20.1.2.3'])))).toHaveLength(1);
  });

  it('an answer of a custom server, or an Azure DNS error, is not compared here', () => {
    const o = observed({ os: ['10.0.1.9'] });
    expect(
      checkResolversAgree(
        input(privateVault, {
          ...o,
          customDns: [
            { server: '10.0.0.53', kind: 'custom', addresses: ['10.0.1.4'] },
            {
              server: '168.63.129.16',
              kind: 'azure',
              addresses: [],
              error: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 't' },
            },
          ],
        }),
      ),
    ).toEqual([]);
  });
});
