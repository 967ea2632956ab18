import type { ProgressEvent } from '../probe/pipeline';

/** Erase the line the cursor is on and go back to its start (ECMA-48 EL 2, then CR). */
const CLEAR = '\r\u001b[2K';

export interface ProgressLineOptions {
  readonly write: (text: string) => void;
  /** The terminal's width: the line is cut to fit, so it never wraps and can be redrawn in place. */
  readonly columns?: number;
  readonly now?: () => number;
  /** Redraw at most this often when only the count changed (ms). */
  readonly minIntervalMs?: number;
}

/** `probing 12/50 vaults · 3.4 s`, the words a person reads at a glance. */
export function progressText(event: ProgressEvent, elapsedMs: number): string {
  const elapsed = `${(elapsedMs / 1000).toFixed(1)} s`;
  switch (event.phase) {
    case 'listing':
      return `kvprobe: listing vaults · ${elapsed}`;
    case 'probing':
      return `kvprobe: probing ${event.done}/${event.total} vault${event.total === 1 ? '' : 's'} · ${elapsed}`;
    case 'reporting':
      return `kvprobe: writing the report · ${elapsed}`;
  }
}

/**
 * One line on a terminal's stderr, redrawn in place with the phase and the elapsed time, erased when the run
 * ends. The caller draws it only when stderr is a terminal; stdout is never touched.
 */
export class ProgressLine {
  private readonly started: number;
  private last: ProgressEvent = { phase: 'listing' };
  private drawnAt = -Infinity;
  private drawn = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ProgressLineOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** Starts redrawing the elapsed time every `everyMs`; the timer never keeps the process alive. */
  start(everyMs = 250): this {
    this.draw();
    this.timer = setInterval(() => this.draw(), everyMs);
    this.timer.unref();
    return this;
  }

  update(event: ProgressEvent): void {
    const phaseChanged = event.phase !== this.last.phase;
    const finished = event.phase === 'probing' && event.done === event.total;
    this.last = event;
    if (phaseChanged || finished || this.now() - this.drawnAt >= (this.options.minIntervalMs ?? 100)) this.draw();
  }

  private draw(): void {
    const width = Math.max(20, (this.options.columns ?? 80) - 1);
    const text = progressText(this.last, this.now() - this.started);
    this.options.write(CLEAR + (text.length > width ? text.slice(0, width) : text));
    this.drawnAt = this.now();
    this.drawn = true;
  }

  /** A line that stays: printed above the progress line, which is drawn again below it. */
  note(text: string): void {
    this.options.write(`${CLEAR}${text}\n`);
    this.draw();
  }

  /** Erases the line, so the report starts on a clean one. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.options.write(CLEAR);
    this.drawn = false;
  }
}
