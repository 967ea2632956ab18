/** Maps items with at most `limit` promises in flight, keeping the input order in the output. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Runs one network step with a signal that aborts with the parent or after `ms`, whichever comes first, and
 * releases the timer and the listener when the step ends. (AbortSignal.any with AbortSignal.timeout per step
 * keeps every step's signal alive on the run's signal; at thousands of vaults that bookkeeping dominated the run.)
 */
export async function withTimeout<T>(parent: AbortSignal, ms: number, step: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`step timed out after ${ms} ms`, 'TimeoutError')), ms);
  try {
    return await step(controller.signal);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
  }
}

/** Milliseconds since `start` (from `performance.now()`), rounded to 0.1 ms. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
