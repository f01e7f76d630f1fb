import { withTimeout } from '@toskamesh/common';
import { checkNumber } from './config-checks.js';
import type { Call, Interceptor } from './interceptor.js';

/**
 * Gives each call passing through `ms` milliseconds: on the deadline the signal handed down aborts (so the
 * I/O stops) and the call rejects with `MeshTimeoutError` (retryable). Put it inside `retry()` for a per-attempt
 * deadline, and inside the breaker so that timeouts count as failures.
 */
export function timeout(ms: number, operation = 'call'): Interceptor {
  checkNumber('timeout.ms', ms, { min: 0, minExclusive: true, required: true });
  return <T>(next: Call<T>): Call<T> =>
    (signal) =>
      withTimeout(operation, ms, next, signal);
}
