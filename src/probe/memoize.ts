/**
 * A cache of values by key, filled on first use and kept for the cache's life (one run): what every "read each
 * thing at most once" needs. A rejected promise is kept too, so a failed read is reported once, not retried per caller.
 */
export function memoize<V>(): (key: string, load: () => V) => V {
  const values = new Map<string, V>();
  return (key, load) => {
    if (values.has(key)) return values.get(key) as V;
    const value = load();
    values.set(key, value);
    return value;
  };
}

/**
 * Like {@link memoize}, for reads that take a signal. A shared read belongs to no caller: it runs under its own
 * signal, aborted only once every caller that asked for it has aborted, so one caller's step ending (its timeout)
 * never fails the others. What it settled with is kept, as with memoize.
 */
export function sharedReads<V>(): (
  key: string,
  signal: AbortSignal,
  read: (signal: AbortSignal) => Promise<V>,
) => Promise<V> {
  const entries = memoize<{
    readonly promise: Promise<V>;
    readonly controller: AbortController;
    waiting: number;
    settled: boolean;
  }>();
  return (key, signal, read) => {
    const entry = entries(key, () => {
      const controller = new AbortController();
      const e = { promise: read(controller.signal), controller, waiting: 0, settled: false };
      const settle = (): void => {
        e.settled = true;
      };
      e.promise.then(settle, settle);
      return e;
    });
    if (entry.settled) return entry.promise;
    entry.waiting++;
    const leave = (): void => {
      if (--entry.waiting === 0 && !entry.settled) entry.controller.abort(signal.reason);
    };
    if (signal.aborted) leave();
    else {
      signal.addEventListener('abort', leave, { once: true });
      const release = (): void => signal.removeEventListener('abort', leave);
      entry.promise.then(release, release);
    }
    return entry.promise;
  };
}
