import { sleep } from '@toskamesh/common';

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Give up (rethrowing the last failure) after this long. @default 5000 */
  timeoutMs?: number;
  /** Pause between attempts. @default 25 */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns without throwing and resolves with its result; after `timeoutMs` it
 * rethrows the last failure (so the test shows the real assertion). Use it instead of a fixed sleep
 * when waiting for something asynchronous (a TTL sweep, a watch delivery). Real timers only: under
 * `jest.useFakeTimers()` advance the clock instead.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 5_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() + intervalMs > deadline) throw error;
    }
    await sleep(intervalMs);
  }
}
