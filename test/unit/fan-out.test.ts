import { checkAddressCap, checkFanOut } from '../../src/probe/checks/fan-out';
import type { ObservedState } from '../../src/probe/types';
import { endpoint, expected, healthyPlane, input, observed, SUB } from './builders';

/**
 * The two caps on a name that resolves to many addresses: DATAPLANE_FANOUT_CAPPED (probed on the first few only)
 * and DNS_ADDRESSES_CAPPED (judged on the first few only). Written after `npm run mutate` found them covered by no
 * unit test; every expectation is a literal.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const exp = expected([endpoint('pe1', '10.0.1.4')]);
const many = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.2.${i + 1}`);
const with_ = (o: Partial<ObservedState>): ObservedState => ({ ...observed(), ...o });

describe('DATAPLANE_FANOUT_CAPPED', () => {
  it('nothing left unprobed: no finding', () => {
    expect(checkFanOut(input(exp, with_({ dataplaneNotProbed: [] })))).toEqual([]);
    expect(checkFanOut(input(exp, observed()))).toEqual([]);
  });

  it('counts the probed and the rest, names at most 64 of the rest, and leaves proxied probes out', () => {
    const rest = many(70);
    const plane = [healthyPlane('10.0.1.4'), { ...healthyPlane('10.0.1.5'), via: 'http://proxy:3128' }];
    const [f, ...others] = checkFanOut(input(exp, with_({ dataplane: plane, dataplaneNotProbed: rest })));
    expect(others).toEqual([]);
    expect([f?.code, f?.severity, f?.resourceId, f?.confirm]).toEqual([
      'DATAPLANE_FANOUT_CAPPED',
      'warning',
      VAULT,
      ["nslookup 'kv1.vault.azure.net'"],
    ]);
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves to 71 addresses; the data plane was probed on the first 1 only.',
    );
    expect(f?.details).toEqual({
      host: 'kv1.vault.azure.net',
      total: 71,
      probed: ['10.0.1.4'],
      notProbed: rest.slice(0, 64),
    });
  });

  it("takes the resolvers' whole count when addresses were also left out of judging", () => {
    const [f] = checkFanOut(
      input(
        exp,
        with_({ dataplaneNotProbed: ['10.0.2.1'], addressesLeftOut: { total: 300, judged: 256, sample: [] } }),
      ),
    );
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves to 300 addresses; the data plane was probed on the first 1 only.',
    );
  });

  it('without ARM: no resource to name', () => {
    const [f] = checkFanOut(input(undefined, with_({ dataplaneNotProbed: ['10.0.2.1'] })));
    expect(f?.resourceId).toBeUndefined();
  });
});

describe('DNS_ADDRESSES_CAPPED', () => {
  it('nothing left out: no finding', () => {
    expect(checkAddressCap(input(exp, observed()))).toEqual([]);
  });

  it('says how many were judged and left out, with the sample', () => {
    const [f, ...others] = checkAddressCap(
      input(exp, with_({ addressesLeftOut: { total: 300, judged: 256, sample: ['10.0.3.1', '10.0.3.2'] } })),
    );
    expect(others).toEqual([]);
    expect([f?.code, f?.severity, f?.resourceId, f?.confirm]).toEqual([
      'DNS_ADDRESSES_CAPPED',
      'warning',
      VAULT,
      ["nslookup 'kv1.vault.azure.net'"],
    ]);
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves to 300 addresses; the first 256 were judged and 44 left out.',
    );
    expect(f?.details).toEqual({
      host: 'kv1.vault.azure.net',
      total: 300,
      judged: 256,
      leftOut: 44,
      sample: ['10.0.3.1', '10.0.3.2'],
    });
  });
});
