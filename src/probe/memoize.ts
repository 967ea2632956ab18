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
