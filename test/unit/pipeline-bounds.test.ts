import { withTimeout } from '../../src/probe/concurrency';
import type { Inventory } from '../../src/probe/inventory';
import { observe, runProbe } from '../../src/probe/pipeline';
import type { VaultRecord } from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';
import { probeRequest as request, quietObserver, vaultRecord as vault } from './builders';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

function inventory(vaults: VaultRecord[], list: () => Promise<VaultRecord[]> = async () => vaults): Inventory {
  return {
    ...emptyInventory(),
    listVaults: list,
    getVault: () => never(),
    getPrivateEndpoint: () => never(),
    getNetworkInterface: () => never(),
    listVirtualHubs: async () => [],
    listEffectiveConnectivityConfigurations: async () => [],
  };
}

describe('the run is bounded whatever a step does (issue 11)', () => {
  it('withTimeout abandons a step that ignores its signal, shortly after the timeout', async () => {
    const t0 = performance.now();
    await expect(withTimeout(new AbortController().signal, 50, () => never())).rejects.toThrow(/timed out/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a vault list that never answers and ignores its abort: the run ends about 1 s after its deadline', async () => {
    const t0 = performance.now();
    const report = await runProbe(request({ deadlineMs: 1000 }), {
      inventory: inventory([], () => never()),
      observer: quietObserver(),
    });
    expect(performance.now() - t0).toBeLessThan(1000 + 2000);
    expect(report.results).toHaveLength(1);
    expect(report.results[0]?.status).toBe('unknown');
  });

  it('observation steps that ignore their abort: every vault still gets its result before the deadline bound', async () => {
    const t0 = performance.now();
    const observer = quietObserver({ probeDataplane: () => never(), resolveDns: () => never() });
    const report = await runProbe(request({ deadlineMs: 3000 }), {
      inventory: inventory([vault('kv1'), vault('kv2')]),
      observer,
    });
    expect(performance.now() - t0).toBeLessThan(3000 + 2000);
    expect(report.results.map((r) => r.vault)).toEqual(['kv1', 'kv2']);
  });

  it('a timed-out lookup is retried once; the retry answers', async () => {
    let calls = 0;
    const observer = quietObserver({
      resolveOs: async () =>
        ++calls === 1
          ? { addresses: [], error: { kind: 'OTHER', code: 'EAI_AGAIN', message: 'temporary failure' }, durationMs: 1 }
          : { addresses: ['10.0.0.4'], durationMs: 1 },
    });
    const o = await observe(
      'kv1.vault.azure.net',
      observer,
      { dataplane: false, timeoutMs: 200 },
      new AbortController().signal,
    );
    expect(calls).toBe(2);
    expect(o.dns.os.addresses).toEqual(['10.0.0.4']);
  });

  it('a vault whose stages throw is unknown with PROBE_STEP_FAILED; the next vault is probed', async () => {
    const odd = vault('kv-odd', {
      connections: [
        { id: 'c', privateEndpointId: undefined, status: 7 as unknown as string, provisioningState: 'Succeeded' },
      ],
    });
    const report = await runProbe(request(), {
      inventory: inventory([odd, vault('kv-fine')]),
      observer: quietObserver(),
    });
    expect(report.results.map((r) => [r.vault, r.status, r.findings.map((f) => f.code)])).toEqual([
      ['kv-odd', 'unknown', ['PROBE_STEP_FAILED']],
      ['kv-fine', 'unhealthy', expect.any(Array)],
    ]);
  });

  it('at most 8 addresses are probed on the data plane', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `10.0.1.${i + 1}`);
    let probes = 0;
    const observer = quietObserver({
      resolveOs: async () => ({ addresses: many, durationMs: 1 }),
      probeDataplane: async (_h, address) => {
        probes++;
        return { address, status: 200, tcpConnectionForbidden: false, timings: { totalMs: 1 } };
      },
    });
    const o = await observe(
      'kv1.vault.azure.net',
      observer,
      { dataplane: true, timeoutMs: 200 },
      new AbortController().signal,
    );
    expect(probes).toBe(8);
    // issue 21: of the 31 (the 30 from getaddrinfo and DNS's 10.0.0.4), the first 16 are judged, 8 of them probed.
    expect(o.dataplaneNotProbed).toHaveLength(16 - 8);
    expect(o.addressesLeftOut).toEqual({ total: 31, judged: 16, sample: many.slice(16, 24) });
    expect(o.dns.os.addresses).toEqual(many.slice(0, 16));
    expect(o.dns.dns.addresses).toEqual([]);
  });
});
