import { checkNumber } from './config-checks.js';
import { BulkheadRejectedError } from './errors/bulkhead-rejected.error.js';
import type { Call, Interceptor } from './interceptor.js';

/** Settings of a {@link Bulkhead}. */
export interface BulkheadOptions {
  /** Name shown in errors. @default 'bulkhead' */
  name?: string;
  /** Calls allowed to run at once. @default 10 */
  maxConcurrent?: number;
  /** Calls allowed to wait for a slot; beyond that they are refused at once (Polly's default is no queue). @default 0 */
  maxQueue?: number;
  /** Longest wait in the queue before the call is refused, in ms. @default 1000 */
  queueTimeoutMs?: number;
}

interface Waiter {
  grant(): void;
}

/**
 * Limits how many calls run at once (one bulkhead per upstream keeps a slow one from taking every socket and
 * every event-loop turn). Over capacity a call waits in a FIFO queue, or is refused with
 * {@link BulkheadRejectedError} when the queue is full or its wait times out; an aborted waiter leaves the queue.
 */
export class Bulkhead {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly queueTimeoutMs: number;
  private active = 0;
  // A Set keeps insertion order and drops an aborted waiter in O(1).
  private readonly waiters = new Set<Waiter>();

  constructor(options: BulkheadOptions = {}) {
    checkNumber('bulkhead.maxConcurrent', options.maxConcurrent, { min: 1, integer: true });
    checkNumber('bulkhead.maxQueue', options.maxQueue, { min: 0, integer: true });
    checkNumber('bulkhead.queueTimeoutMs', options.queueTimeoutMs, { min: 1 });
    this.name = options.name ?? 'bulkhead';
    this.maxConcurrent = options.maxConcurrent ?? 10;
    this.maxQueue = options.maxQueue ?? 0;
    this.queueTimeoutMs = options.queueTimeoutMs ?? 1000;
  }

  /** Calls running now. */
  get running(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiters.size;
  }

  /** Runs `call` once a slot is free; rejects with `BulkheadRejectedError` or the signal's reason otherwise. */
  async run<T>(call: Call<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    await this.acquire(signal);
    try {
      return await call(signal);
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiters.size >= this.maxQueue) return Promise.reject(this.rejection('full'));
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        this.waiters.delete(waiter);
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve();
        },
      };
      const onAbort = () => {
        leave();
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        leave();
        reject(this.rejection('queue-timeout'));
      }, this.queueTimeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  private release(): void {
    const next = this.waiters.values().next();
    // The slot passes straight to the oldest waiter, so a newcomer cannot overtake the queue.
    if (next.done) this.active--;
    else next.value.grant();
  }

  private rejection(reason: 'full' | 'queue-timeout'): BulkheadRejectedError {
    const { maxConcurrent, maxQueue, queueTimeoutMs } = this;
    return new BulkheadRejectedError(this.name, reason, { maxConcurrent, maxQueue, queueTimeoutMs });
  }
}

/** `bulkhead` as an interceptor. */
export function bulkhead(bulkhead: Bulkhead): Interceptor {
  return <T>(next: Call<T>): Call<T> =>
    (signal) =>
      bulkhead.run(next, signal);
}
