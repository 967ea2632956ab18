import { checkResolversAgree } from '../../src/probe/checks/resolvers-agree';
import type { ObservedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, SUB } from './builders';

/**
 * DNS_RESOLVERS_DISAGREE as literals: without the vault's state, with a public vault whose OS answer is partly private,
 * with answers of several addresses or none, and with several DNS servers. Written for the mutants `npm run mutate`
 * left alive in src/probe/checks/resolvers-agree.ts.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const privateVault = expected([endpoint('pe1', '10.0.1.4')]);
const publicVault = expected([], 'Enabled');
const azure = (o: ObservedState, addresses: string[]): ObservedState => ({
  ...o,
  customDns: [{ server: '168.63.129.16', kind: 'azure', addresses }],
});
const withServers = (o: ObservedState, servers: string[]): ObservedState => ({
  ...o,
  dns: { ...o.dns, dns: { ...o.dns.dns, servers } },
});
const AZURE_CONFIRM = ["nslookup 'kv1.vault.azure.net' '168.63.129.16'", "getent ahosts 'kv1.vault.azure.net'"];
const azureMessage = (azureSays: string, osSays: string): string =>
  `Azure DNS (168.63.129.16) returns ${azureSays} for kv1.vault.azure.net but the OS resolver here returns ${osSays}: the DNS servers this VNet uses do not answer as Azure DNS does.`;

describe('Azure DNS asked directly against the OS resolver', () => {
  it("without the vault's state nothing is as expected: Azure DNS answering otherwise is named", () => {
    expect(checkResolversAgree(input(undefined, azure(observed({ os: ['10.0.1.9'] }), ['10.0.1.4'])))).toEqual([
      {
        code: 'DNS_RESOLVERS_DISAGREE',
        severity: 'warning',
        message: azureMessage('10.0.1.4', '10.0.1.9'),
        remediation: expect.any(String) as string,
        details: { os: ['10.0.1.9'], dns: ['10.0.1.4'], servers: ['168.63.129.16'] },
        confirm: AZURE_CONFIRM,
      },
    ]);
  });

  it('a public vault whose OS answer is partly private: not as expected, every address named', () => {
    const [f, ...rest] = checkResolversAgree(
      input(publicVault, azure(observed({ os: ['20.1.2.3', '10.0.1.9'] }), ['20.1.2.3'])),
    );
    expect(rest).toEqual([]);
    expect([f?.message, f?.details, f?.resourceId]).toEqual([
      azureMessage('20.1.2.3', '10.0.1.9, 20.1.2.3'),
      { os: ['10.0.1.9', '20.1.2.3'], dns: ['20.1.2.3'], servers: ['168.63.129.16'] },
      VAULT,
    ]);
  });

  it('Azure DNS answering as the OS resolver does is no disagreement, even when the answer is not as expected', () => {
    expect(checkResolversAgree(input(privateVault, azure(observed({ os: ['20.1.2.3'] }), ['20.1.2.3'])))).toEqual([]);
  });

  it('several addresses from Azure DNS, none from the OS resolver', () => {
    const several = checkResolversAgree(
      input(privateVault, azure(observed({ os: ['10.0.1.9'] }), ['10.0.1.5', '10.0.1.4'])),
    );
    expect(several.map((f) => f.message)).toEqual([azureMessage('10.0.1.4, 10.0.1.5', '10.0.1.9')]);
    const none = checkResolversAgree(input(privateVault, azure(observed({ os: [], dns: [] }), ['10.0.1.4'])));
    expect(none.map((f) => [f.message, f.details])).toEqual([
      [azureMessage('10.0.1.4', 'nothing'), { os: [], dns: ['10.0.1.4'], servers: ['168.63.129.16'] }],
    ]);
  });
});

describe('the OS resolver against DNS', () => {
  it('several OS-only addresses and several DNS servers: each named, each hosts-file line removed', () => {
    const o = withServers(observed({ os: ['10.0.1.9', '10.0.1.8'], dns: ['10.0.1.4'] }), ['10.0.0.53', '10.0.0.54']);
    expect(checkResolversAgree(input(privateVault, o))).toEqual([
      {
        code: 'DNS_RESOLVERS_DISAGREE',
        severity: 'warning',
        message:
          'The OS resolver returns 10.0.1.8, 10.0.1.9 for kv1.vault.azure.net but DNS (10.0.0.53, 10.0.0.54) returns 10.0.1.4: a hosts-file entry, a local cache or split DNS is in the way.',
        remediation:
          'Only getaddrinfo returns 10.0.1.8, 10.0.1.9: remove the hosts-file line that maps it to kv1.vault.azure.net (the command keeps /etc/hosts.bak), or flush the local DNS cache; if no such line exists, look for split DNS or a search domain that answers the name.',
        details: { os: ['10.0.1.8', '10.0.1.9'], dns: ['10.0.1.4'], servers: ['10.0.0.53', '10.0.0.54'] },
        resourceId: VAULT,
        fix: [
          "sudo sed -i.bak -E '/^[[:space:]]*10\\.0\\.1\\.8[[:space:]].*kv1\\.vault\\.azure\\.net/d' /etc/hosts",
          "sudo sed -i.bak -E '/^[[:space:]]*10\\.0\\.1\\.9[[:space:]].*kv1\\.vault\\.azure\\.net/d' /etc/hosts",
        ],
        confirm: ["getent ahosts 'kv1.vault.azure.net'", "grep -i 'kv1.vault.azure.net' /etc/hosts"],
      },
    ]);
  });

  it('one side answering nothing is said so', () => {
    const osNothing = checkResolversAgree(input(privateVault, observed({ os: [], dns: ['10.0.1.4'] })));
    expect(osNothing.map((f) => f.message)).toEqual([
      'The OS resolver returns nothing for kv1.vault.azure.net but DNS (127.0.0.1:53) returns 10.0.1.4: a hosts-file entry, a local cache or split DNS is in the way.',
    ]);
    const dnsNothing = checkResolversAgree(input(privateVault, observed({ os: ['10.0.1.4'], dns: [] })));
    expect(dnsNothing.map((f) => f.message)).toEqual([
      'The OS resolver returns 10.0.1.4 for kv1.vault.azure.net but DNS (127.0.0.1:53) returns nothing: a hosts-file entry, a local cache or split DNS is in the way.',
    ]);
  });
});
