/** Options of {@link ChangeQueue}. */
export interface ChangeQueueOptions {
  /**
   * Items held for a consumer that does not keep up. Past it the buffer is dropped and `onOverflow`
   * runs (providers push a fresh snapshot: the contract's answer to a gap). @default 10000
   */
  maxBuffered?: number;
  /** Runs after the buffer overflowed and was cleared. */
  onOverflow?: () => void;
}

/**
 * The async iterator behind every provider's `watch()`: producers `push`, one consumer pulls.
 * It ends (pending and later reads return `done`) on `close()`, on `return()` (a `break` out of
 * `for await`) or when a bound signal aborts; clean-up callbacks then run once.
 */
export class ChangeQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly readers: Array<(result: IteratorResult<T>) => void> = [];
  private readonly cleanups: Array<() => void> = [];
  private readonly maxBuffered: number;
  private ended = false;

  constructor(private readonly options: ChangeQueueOptions = {}) {
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** True once the queue has ended. */
  get closed(): boolean {
    return this.ended;
  }

  /** Hands `item` to a waiting reader or buffers it; ignored after the end. */
  push(item: T): void {
    if (this.ended) return;
    const reader = this.readers.shift();
    if (reader) return reader({ value: item, done: false });
    this.items.push(item);
    if (this.items.length > this.maxBuffered) {
      this.items.length = 0;
      this.options.onOverflow?.();
    }
  }

  /** Drops everything buffered (a resync replaces it). */
  clear(): void {
    this.items.length = 0;
  }

  /** Runs `cleanup` when the queue ends (at once when it already has). */
  onClose(cleanup: () => void): void {
    if (this.ended) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** Ends the queue when `signal` aborts. */
  closeOn(signal: AbortSignal | undefined): void {
    if (!signal) return;
    if (signal.aborted) return this.close();
    const onAbort = () => this.close();
    signal.addEventListener('abort', onAbort, { once: true });
    this.onClose(() => signal.removeEventListener('abort', onAbort));
  }

  /** Ends the iteration: waiting reads resolve `done`, buffered items are dropped, clean-ups run. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.items.length = 0;
    for (const reader of this.readers.splice(0)) reader({ value: undefined, done: true });
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.readers.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
