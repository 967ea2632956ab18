import { checkPrivatelinkCname } from '../../src/probe/checks/privatelink-cname';
import type { ExpectedState } from '../../src/probe/types';
import { endpoint, expected, input, observed, SUB } from './builders';

/**
 * DNS_NO_PRIVATELINK_CNAME as whole literals: its severity by what this site expects, the chain as DNS gave it, and
 * the privatelink name taken from the host that was resolved. Written for the mutants `npm run mutate` left alive
 * in src/probe/checks/privatelink-cname.ts.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const WANTED = 'kv1.privatelink.vaultcore.azure.net';
const CONFIRM = ["nslookup -type=CNAME 'kv1.vault.azure.net' '127.0.0.1:53'"];
const run = (exp: ExpectedState, cnames: string[]) =>
  checkPrivatelinkCname(input(exp, observed({ os: ['20.1.2.3'], cnames })));
const message = (chain: string): string =>
  `kv1.vault.azure.net resolves through ${chain}, not through ${WANTED}: private DNS zones for privatelink.vaultcore.azure.net are never consulted.`;

describe('DNS_NO_PRIVATELINK_CNAME', () => {
  it('a site that should resolve to an endpoint IP: an error, with the chain DNS gave', () => {
    const chain = ['kv1.vaultcore.azure.net', 'data.westeurope.cloudapp.azure.net'];
    expect(run(expected([endpoint('pe1', '10.0.1.4')]), chain)).toEqual([
      {
        code: 'DNS_NO_PRIVATELINK_CNAME',
        severity: 'error',
        message: message('kv1.vaultcore.azure.net -> data.westeurope.cloudapp.azure.net'),
        remediation: expect.any(String) as string,
        details: { cnames: chain, expectedCname: WANTED },
        resourceId: VAULT,
        confirm: CONFIRM,
      },
    ]);
  });

  it('no CNAME at all is said so', () => {
    const [f] = run(expected([endpoint('pe1', '10.0.1.4')]), []);
    expect([f?.message, f?.details]).toEqual([message('no CNAME at all'), { cnames: [], expectedCname: WANTED }]);
  });

  it('an endpoint this site reaches that has no usable IP: a warning', () => {
    const [f] = run(expected([endpoint('pe1', '10.0.1.4', { peProvisioning: 'Failed' })]), []);
    expect([f?.code, f?.severity]).toEqual(['DNS_NO_PRIVATELINK_CNAME', 'warning']);
  });

  it('a public vault with an approved connection and no endpoint this site reaches: a warning', () => {
    const exp = expected([], 'Enabled');
    const approved = {
      ...exp,
      vault: {
        ...exp.vault,
        connections: [{ id: 'c', privateEndpointId: undefined, status: 'Approved', provisioningState: 'Succeeded' }],
      },
    };
    const [f] = run(approved, ['kv1.vaultcore.azure.net']);
    expect([f?.severity, f?.message]).toEqual(['warning', message('kv1.vaultcore.azure.net')]);
  });

  it('the privatelink name follows the host that was resolved, not the name ARM gives the vault', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4')]);
    const renamed = { ...exp, vault: { ...exp.vault, name: 'kv-other' } };
    expect(run(renamed, [WANTED])).toEqual([]);
  });
});
