import { osLookupSlots, osLookupsInFlight, resolveWithOs } from '../../src/adapters/dns';

describe('getaddrinfo calls stay below the thread pool', () => {
  it.each([
    [{}, 2],
    [{ UV_THREADPOOL_SIZE: '16' }, 8],
    [{ UV_THREADPOOL_SIZE: '1' }, 1],
    [{ UV_THREADPOOL_SIZE: 'many' }, 2],
  ])('slots for %j: %i', (env, want) => {
    expect(osLookupSlots(env)).toBe(want);
  });

  it('never has more lookups in flight than slots; the rest wait and still answer', async () => {
    const before = process.env['UV_THREADPOOL_SIZE'];
    process.env['UV_THREADPOOL_SIZE'] = '2';
    try {
      let peak = 0;
      const watch = setInterval(() => (peak = Math.max(peak, osLookupsInFlight())), 0);
      const signal = new AbortController().signal;
      const results = await Promise.all(Array.from({ length: 12 }, () => resolveWithOs('localhost', signal, 5000)));
      clearInterval(watch);
      peak = Math.max(peak, osLookupsInFlight());
      expect(peak).toBeLessThanOrEqual(1);
      expect(results.every((r) => r.addresses.length > 0)).toBe(true);
      expect(osLookupsInFlight()).toBe(0);
    } finally {
      if (before === undefined) delete process.env['UV_THREADPOOL_SIZE'];
      else process.env['UV_THREADPOOL_SIZE'] = before;
    }
  });

  it('a lookup that finds no slot before its step ends reports a timeout', async () => {
    const before = process.env['UV_THREADPOOL_SIZE'];
    process.env['UV_THREADPOOL_SIZE'] = '2';
    try {
      const first = resolveWithOs('localhost', new AbortController().signal, 5000);
      const aborted = AbortSignal.abort();
      const second = await resolveWithOs('localhost', aborted, 5000);
      expect(second.error?.kind).toBe('TIMEOUT');
      await first;
    } finally {
      if (before === undefined) delete process.env['UV_THREADPOOL_SIZE'];
      else process.env['UV_THREADPOOL_SIZE'] = before;
    }
  });
});
