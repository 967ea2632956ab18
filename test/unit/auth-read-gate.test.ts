import { AuthReadGate } from '../../src/probe/auth-read-gate';
import type { DataplaneObservation, ObservedState } from '../../src/probe/types';

const HEADER_A = 'conn_type=PrivateLink;private_endpoint=/x/pe-a;addr=10.0.0.9;';
const HEADER_B = 'conn_type=PrivateLink;private_endpoint=/x/pe-b;addr=10.0.0.9;';

/** One run of one vault on one address: what the adapter would do with the gate's decision. */
function run(gate: AuthReadGate, header: string, expectation = 'private'): { sent: boolean; o: ObservedState } {
  const decision = gate.decide('kv1', expectation, ['10.0.1.4']);
  const sent = decision.send('10.0.1.4', header);
  const observation: DataplaneObservation = {
    address: '10.0.1.4',
    status: 200,
    networkInfo: header,
    tcpConnectionForbidden: false,
    ...(sent
      ? { authenticated: { path: '/secrets', status: 403, errorCode: 'Forbidden', tcpConnectionForbidden: false } }
      : {}),
    timings: { totalMs: 1 },
  };
  const observed: ObservedState = {
    host: 'kv1.vault.azure.net',
    dns: {
      os: { addresses: ['10.0.1.4'], durationMs: 1 },
      dns: { servers: [], cnames: [], addresses: ['10.0.1.4'], durationMs: 1 },
    },
    dataplane: [observation],
    dataplaneSkipped: false,
    proxy: undefined,
  };
  return { sent, o: gate.settle('kv1', expectation, observed) };
}

describe('AuthReadGate', () => {
  it('reads again at once when the network-info header of an address changes, and keeps the last answer otherwise', () => {
    let now = 0;
    const gate = new AuthReadGate(60 * 60_000, () => now);
    expect(run(gate, HEADER_A).sent).toBe(true);
    now += 5 * 60_000;
    const quiet = run(gate, HEADER_A);
    expect(quiet.sent).toBe(false);
    expect(quiet.o.dataplane[0]?.authenticated).toEqual({
      path: '/secrets',
      status: 403,
      errorCode: 'Forbidden',
      tcpConnectionForbidden: false,
      readAt: new Date(0).toISOString(),
    });
    now += 5 * 60_000;
    expect(run(gate, HEADER_B).sent).toBe(true);
    now += 5 * 60_000;
    expect(run(gate, HEADER_B).sent).toBe(false);
    // A different expectation is a reason on its own.
    expect(run(gate, HEADER_B, 'private through pe-b').sent).toBe(true);
  });

  it('does not stand in an old answer where /healthstatus failed or the header differs', () => {
    let now = 0;
    const gate = new AuthReadGate(60 * 60_000, () => now);
    run(gate, HEADER_A);
    now += 60_000;
    const decision = gate.decide('kv1', 'private', ['10.0.1.4']);
    expect(decision.send('10.0.1.4', HEADER_A)).toBe(false);
    const settled = gate.settle('kv1', 'private', {
      host: 'kv1.vault.azure.net',
      dns: { os: { addresses: [], durationMs: 1 }, dns: { servers: [], cnames: [], addresses: [], durationMs: 1 } },
      dataplane: [
        {
          address: '10.0.1.4',
          tcpConnectionForbidden: false,
          failure: { phase: 'connect', code: 'ECONNREFUSED', message: 'refused' },
          timings: { totalMs: 1 },
        },
      ],
      dataplaneSkipped: false,
      proxy: undefined,
    });
    expect(settled.dataplane[0]?.authenticated).toBeUndefined();
  });
});
