import { osLookupSlots, osLookupsInFlight, resolveWithOs, UncancellableSlots } from '../../src/adapters/dns';

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
  const slots = new UncancellableSlots(() => osLookupSlots({ UV_THREADPOOL_SIZE: '2' }));

  it('never has more lookups in flight than slots; the rest wait and still answer', async () => {
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, slots.held)), 0);
    const signal = new AbortController().signal;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => resolveWithOs('localhost', signal, 5000, slots)),
    );
    clearInterval(watch);
    peak = Math.max(peak, slots.held);
    expect(peak).toBe(1);
    expect(results.every((r) => r.addresses.length > 0)).toBe(true);
    expect(slots.held).toBe(0);
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

describe('slots held by calls that never return (issue 11, item 6: no backlog)', () => {
  /** A call that returns only when the test says so. */
  function hung(): { work: () => Promise<string>; release: () => void } {
    let release = (): void => undefined;
    const p = new Promise<string>((resolve) => (release = () => resolve('late')));
    return { work: () => p, release };
  }

  it('once every slot is held by an abandoned call, a new caller is refused at once, not queued', async () => {
    const slots = new UncancellableSlots(() => 2);
    const calls = [hung(), hung()];
    const steps = calls.map(() => new AbortController());
    const first = calls.map((c, i) => slots.run(steps[i]?.signal ?? AbortSignal.abort(), c.work));
    for (const s of steps) s.abort();
    expect((await Promise.all(first)).map((o) => o.kind)).toEqual(['aborted', 'aborted']);
    expect(slots.held).toBe(2);
    expect(slots.stuck).toBe(2);

    // A later caller (a later run) whose own step has all its time left.
    const t0 = performance.now();
    const later = await slots.run(new AbortController().signal, () => Promise.resolve('never called'));
    expect(later).toMatchObject({ kind: 'stuck', abandoned: 2 });
    expect(performance.now() - t0).toBeLessThan(50);

    // When the stuck calls finally return, their slots are free again.
    for (const c of calls) c.release();
    await Promise.resolve();
    await Promise.resolve();
    expect(slots.held).toBe(0);
    expect(slots.stuck).toBe(0);
    expect(await slots.run(new AbortController().signal, () => Promise.resolve('ok'))).toEqual({
      kind: 'done',
      value: 'ok',
    });
  });

  it('a caller already waiting is refused as soon as the last held slot is abandoned, before its own step ends', async () => {
    const slots = new UncancellableSlots(() => 1);
    const call = hung();
    const step = new AbortController();
    const holder = slots.run(step.signal, call.work);
    const waiterStep = new AbortController();
    const waiter = slots.run(waiterStep.signal, () => Promise.resolve('x'));
    step.abort();
    await holder;
    expect(await waiter).toMatchObject({ kind: 'stuck', abandoned: 1 });
    expect(waiterStep.signal.aborted).toBe(false);
    call.release();
  });

  it('a caller waits for a slot held by a call still within its step, and gets it when that call returns', async () => {
    const slots = new UncancellableSlots(() => 1);
    const call = hung();
    const holder = slots.run(new AbortController().signal, call.work);
    const waiter = slots.run(new AbortController().signal, () => Promise.resolve('second'));
    call.release();
    expect(await holder).toEqual({ kind: 'done', value: 'late' });
    expect(await waiter).toEqual({ kind: 'done', value: 'second' });
    expect(slots.held).toBe(0);
  });
});
