import { HttpRequest, InvocationContext } from '@azure/functions';
import { AnswerCache, SlidingWindow } from '../../src/functions/http-limits';
import { createHttpHandler } from '../../src/functions/probe-http';
import { gatedRuntime } from '../support/gated-runtime';

const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';

describe('AnswerCache', () => {
  it('answers within its time to live, with when the answer was made, and forgets after', () => {
    const cache = new AnswerCache<string>(60_000);
    cache.set('kv1', 'a', 1000);
    expect(cache.get('kv1', 60_999)).toEqual({ value: 'a', at: 1000 });
    expect(cache.get('kv1', 61_000)).toBeUndefined();
  });

  it('keeps at most its number of keys, dropping the oldest', () => {
    const cache = new AnswerCache<number>(60_000, 2);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)?.value).toBe(3);
  });

  it('keeps nothing with a time to live of 0', () => {
    const cache = new AnswerCache<number>(0);
    cache.set('a', 1, 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});

describe('SlidingWindow', () => {
  it('allows the limit in any 60 s, then says when the oldest start leaves the window', () => {
    const w = new SlidingWindow(3);
    expect([w.take(0), w.take(10_000), w.take(20_000)].every((r) => r.ok)).toBe(true);
    expect(w.take(30_000)).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(w.take(59_500)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(w.take(60_000).ok).toBe(true);
    expect(w.take(60_001)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });
});

describe('HTTP trigger cache and rate (fake clock)', () => {
  const context = (): InvocationContext => new InvocationContext({ logHandler: () => undefined });
  const request = (name: string): HttpRequest =>
    new HttpRequest({ method: 'GET', url: `https://app.example/api/vaults/${name}/probe`, params: { name } });

  it('answers a repeat from the cache with its age, and 429s the third fresh probe of a minute', async () => {
    let now = 1_000_000;
    const { runtime, lists } = gatedRuntime(
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_HTTP_CACHE_SECONDS: '30', PROBE_HTTP_PROBES_PER_MINUTE: '2' },
      () => Promise.resolve(),
    );
    const handler = createHttpHandler(runtime, () => now);
    expect((await handler(request('kv-one'), context())).status).toBe(404);
    now += 12_000;
    const again = await handler(request('KV-ONE'), context());
    expect(again.status).toBe(404);
    expect((again.headers as Record<string, string>)['Age']).toBe('12');
    expect(lists()).toBe(1);
    expect((await handler(request('kv-two'), context())).status).toBe(404);
    const refused = await handler(request('kv-three'), context());
    expect(refused.status).toBe(429);
    expect((refused.headers as Record<string, string>)['Retry-After']).toBe('48');
    expect(lists()).toBe(2);
    // Past the cache's 30 s, kv-one is a fresh probe again, and the window has room once a minute has passed.
    now += 48_000;
    expect((await handler(request('kv-one'), context())).status).toBe(404);
    expect(lists()).toBe(3);
  });

  it('callers asking the same question while it runs share one probe', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { runtime, lists } = gatedRuntime({ PROBE_SUBSCRIPTIONS: SUB }, () => gate);
    const handler = createHttpHandler(runtime);
    const calls = [handler(request('kv-same'), context()), handler(request('kv-same'), context())];
    release();
    expect((await Promise.all(calls)).map((r) => r.status)).toEqual([404, 404]);
    expect(lists()).toBe(1);
  });
});
