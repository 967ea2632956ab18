import type { Inventory } from '../../src/probe/inventory';
import { runProbe } from '../../src/probe/pipeline';
import { slowestVault, StageClock } from '../../src/probe/pipeline/timing';
import { emptyInventory } from '../support/empty-inventory';
import { probeRequest, quietObserver, vaultRecord } from './builders';

describe('StageClock', () => {
  it('records each stage under its key, in the order they ran, also when a stage throws', async () => {
    const clock = new StageClock();
    await clock.time('expected', () => new Promise((r) => setTimeout(r, 20)));
    await expect(clock.time('observed', () => Promise.reject(new Error('resolver gone')))).rejects.toThrow(
      'resolver gone',
    );
    clock.record('osResolveMs', 3);
    expect(clock.timeSync('compare', () => 42)).toBe(42);
    clock.stop('total');
    const t = clock.timings();
    expect(Object.keys(t)).toEqual(['expectedMs', 'observedMs', 'osResolveMs', 'compareMs', 'totalMs']);
    expect(t['expectedMs']).toBeGreaterThanOrEqual(15);
    expect(t['osResolveMs']).toBe(3);
    expect(t['totalMs']).toBeGreaterThanOrEqual(t['expectedMs'] ?? Infinity);
  });

  it("takes the slowest vault's duration of each stage, leaving out stages no vault ran", () => {
    const results: { timings: Record<string, number> }[] = [
      { timings: { expectedMs: 5, observedMs: 9 } },
      { timings: { expectedMs: 7 } },
      { timings: {} },
    ];
    expect(slowestVault(results, ['expected', 'observed', 'compare'])).toEqual({ expectedMaxMs: 7, observedMaxMs: 9 });
  });
});

describe('a run reports its stage durations', () => {
  const vaults = ['kv0', 'kv1'].map((name) => vaultRecord(name));
  const inventory: Inventory = { ...emptyInventory(), listVaults: async () => vaults };
  const observer = quietObserver({
    resolveOs: async () => ({ addresses: ['10.0.0.4'], durationMs: 2 }),
    resolveDns: async () => ({ servers: [], cnames: [], addresses: ['10.0.0.4'], durationMs: 3 }),
  });

  it('per run (discover, probe, report, the slowest vault per stage) and per vault (the keys it always had)', async () => {
    const r = await runProbe(probeRequest({ dataplane: false, timeoutMs: 1000, concurrency: 2 }), {
      inventory,
      observer,
    });
    expect(Object.keys(r.timings ?? {})).toEqual([
      'discoverMs',
      'probeMs',
      'reportMs',
      'expectedMaxMs',
      'observedMaxMs',
      'compareMaxMs',
    ]);
    expect(r.results).toHaveLength(2);
    for (const v of r.results) {
      expect(Object.keys(v.timings)).toEqual([
        'discoverMs',
        'expectedMs',
        'observedMs',
        'osResolveMs',
        'dnsResolveMs',
        'compareMs',
        'totalMs',
      ]);
      expect(v.timings['discoverMs']).toBe(r.timings?.['discoverMs']);
      expect([v.timings['osResolveMs'], v.timings['dnsResolveMs']]).toEqual([2, 3]);
    }
    expect(r.timings?.['observedMaxMs']).toBe(Math.max(...r.results.map((v) => v.timings['observedMs'] ?? 0)));
  });
});
