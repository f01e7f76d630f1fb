import type { RegistryChange } from '../../registry-change.js';

/**
 * The iterator `watch()` returns: background loops `push` into it, the consumer pulls. `return()` (a
 * `break` in `for await`) aborts the loops at once, even while a blocking query is held. A consumer
 * that falls `maxBuffered` items behind loses them and is resynchronised with a snapshot instead.
 */
export class ChangeStream implements AsyncIterableIterator<RegistryChange> {
  private readonly buffer: RegistryChange[] = [];
  private waiting: ((result: IteratorResult<RegistryChange>) => void) | undefined;
  private ended = false;
  private overflowed = false;

  constructor(
    private readonly controller: AbortController,
    private readonly maxBuffered = 10_000,
  ) {
    controller.signal.addEventListener('abort', () => this.end(), { once: true });
  }

  /** True once the consumer fell behind; the producer should {@link resync}. */
  get needsResync(): boolean {
    return this.overflowed;
  }

  /** Delivers one change (dropped after the end). */
  push(change: RegistryChange): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: change, done: false });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.overflowed = true;
      return;
    }
    this.buffer.push(change);
  }

  /** Replaces whatever the consumer has not read yet with `snapshot`. */
  resync(snapshot: RegistryChange): void {
    this.buffer.length = 0;
    this.overflowed = false;
    this.push(snapshot);
  }

  /** Ends the iteration after the buffered items. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<RegistryChange>> {
    const value = this.buffer.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<RegistryChange>> {
    this.buffer.length = 0;
    this.controller.abort();
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<RegistryChange> {
    return this;
  }
}
