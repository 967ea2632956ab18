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

  // A pool of 2 threads, as UV_THREADPOOL_SIZE=2 gives, without writing this process's environment.
  const slots = osLookupSlots({ UV_THREADPOOL_SIZE: '2' });

  it('never has more lookups in flight than slots; the rest wait and still answer', async () => {
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, osLookupsInFlight())), 0);
    const signal = new AbortController().signal;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => resolveWithOs('localhost', signal, 5000, slots)),
    );
    clearInterval(watch);
    peak = Math.max(peak, osLookupsInFlight());
    expect(peak).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.addresses.length > 0)).toBe(true);
    expect(osLookupsInFlight()).toBe(0);
  });

  it('a lookup that finds no slot before its step ends reports a timeout', async () => {
    const first = resolveWithOs('localhost', new AbortController().signal, 5000, slots);
    const aborted = AbortSignal.abort();
    const second = await resolveWithOs('localhost', aborted, 5000, slots);
    expect(second.error?.kind).toBe('TIMEOUT');
    await first;
  });
});
