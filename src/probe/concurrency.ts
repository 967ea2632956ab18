/** Maps items with at most `limit` promises in flight, keeping the input order in the output. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
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
 * How long a step may keep running after its signal aborted before it is abandoned. Steps that honour their signal
 * settle well inside it (with their own "timed out" result); one that ignores it must not hold the run.
 */
export const ABANDON_GRACE_MS = 100;

/**
 * Runs one network step with a signal that aborts with the parent or after `ms`, whichever comes first, and
 * releases the timer and the listener when the step ends. A step that has not settled {@link ABANDON_GRACE_MS}
 * after the abort is raced: the returned promise rejects with the abort reason and the step is left to finish
 * on its own. (AbortSignal.any with AbortSignal.timeout per step keeps every step's signal alive on the run's
 * signal; at thousands of vaults that bookkeeping dominated the run.)
 */
export async function withTimeout<T>(
  parent: AbortSignal,
  ms: number,
  step: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (parent.aborted) throw abortReason(parent);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`step timed out after ${ms} ms`, 'TimeoutError')),
    ms,
  );
  let grace: NodeJS.Timeout | undefined;
  let onStepAbort: (() => void) | undefined;
  try {
    const work = step(controller.signal);
    // Registered after the step's own listeners, so a step that honours its signal settles first.
    const abandoned = new Promise<never>((_, reject) => {
      onStepAbort = (): void => {
        grace = setTimeout(() => reject(abortReason(controller.signal)), ABANDON_GRACE_MS);
      };
      if (controller.signal.aborted) onStepAbort();
      else controller.signal.addEventListener('abort', onStepAbort, { once: true });
    });
    return await Promise.race([work, abandoned]);
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    if (onStepAbort) controller.signal.removeEventListener('abort', onStepAbort);
    parent.removeEventListener('abort', onAbort);
  }
}

/** The signal's reason as an Error (AbortSignal.timeout and abort() give DOMExceptions). */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  // DOMException is an Error in Node, but not always by instanceof across realms (test runners): check its shape.
  if (r instanceof Error || (typeof r === 'object' && r !== null && 'name' in r && 'message' in r)) return r as Error;
  return new DOMException('the operation was aborted', 'AbortError');
}

/**
 * Resolves with `work`'s value, or with `fallback()` once `signal` has been aborted for `graceMs`: the last bound
 * on a run, whatever a step does. `work` keeps running; its outcome is ignored.
 */
export function settleBy<T>(work: Promise<T>, signal: AbortSignal, graceMs: number, fallback: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => resolve(fallback()), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    work.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Milliseconds since `start` (from `performance.now()`), rounded to 0.1 ms. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
