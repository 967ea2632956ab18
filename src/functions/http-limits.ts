/**
 * What keeps the HTTP trigger from spending the ARM reads the timer needs: a short cache of recent answers per
 * question, one probe in flight per question, and a sliding window of fresh probes per minute. Per instance, in
 * memory; the clock is passed in, so the rules are tested without waiting.
 */

/** An answer kept for reuse, with when it was made. */
export interface Cached<V> {
  readonly value: V;
  readonly at: number;
}

/** Recent answers by key, each kept `ttlMs`; at most `max` keys (the oldest go first). */
export class AnswerCache<V> {
  private readonly entries = new Map<string, Cached<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 256,
  ) {}

  get(key: string, now: number): Cached<V> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, value: V, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** At most `limit` starts in any `windowMs`; a refused start learns how long until the next one may go. */
export class SlidingWindow {
  private readonly starts: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Takes a slot now, or answers the whole seconds to wait. */
  take(now: number): { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number } {
    while (this.starts.length > 0 && now - (this.starts[0] ?? now) >= this.windowMs) this.starts.shift();
    if (this.starts.length < this.limit) {
      this.starts.push(now);
      return { ok: true };
    }
    const oldest = this.starts[0] ?? now;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
  }
}
