import { backoffDelayMs, isMeshError, sleep, type BackoffOptions } from '@toskamesh/common';
import type { Registry } from 'prom-client';
import { checkFunction, checkNumber } from './config-checks.js';
import type { Call, Interceptor } from './interceptor.js';
import { ResilienceMetrics, type RetryOutcome } from './resilience.metrics.js';
import type { RetryBudget } from './retry-budget.js';

/** Decides whether a failed attempt (1-based `attempt`) is worth repeating. */
export type RetryPredicate = (error: unknown, attempt: number) => boolean;

/** Settings of {@link retry}. */
export interface RetryOptions {
  /** Attempts in total, the first one included. @default 3 */
  maxAttempts?: number;
  /** Exponential back-off with full jitter between attempts. @default { initialMs: 100, maxMs: 30000, multiplier: 2, jitter: 'full' } */
  backoff?: BackoffOptions;
  /** Which failures to repeat; idempotency is the caller's call. @default defaultRetryOn */
  retryOn?: RetryPredicate;
  /** Shared cap on retries; without one every failure may be retried `maxAttempts - 1` times. @default undefined */
  budget?: RetryBudget;
  /** `target` label of `toskamesh_resilience_retries_total`. @default 'default' */
  target?: string;
  /** Where the retry counter is registered. @default prom-client's global `register` */
  metricsRegistry?: Registry;
  /** Source of jitter, injectable for tests. @default Math.random */
  random?: () => number;
}

/** Error codes of a connection that failed or broke: the request most likely never reached the handler. */
export const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True for a connection error, also when wrapped as `cause` (undici's `fetch failed` TypeError). */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 3; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}

/** The default {@link RetryOptions.retryOn}: a retryable `MeshError` or a connection error. */
export function defaultRetryOn(error: unknown): boolean {
  return isMeshError(error) ? error.retryable : isConnectionError(error);
}

/** Throws a `MeshConfigError` naming `key.<field>` for the first option out of range. */
export function checkRetryOptions(key: string, options: RetryOptions = {}): void {
  checkNumber(`${key}.maxAttempts`, options.maxAttempts, { min: 1, integer: true });
  checkNumber(`${key}.backoff.initialMs`, options.backoff?.initialMs, { min: 0 });
  checkNumber(`${key}.backoff.maxMs`, options.backoff?.maxMs, { min: 0 });
  checkNumber(`${key}.backoff.multiplier`, options.backoff?.multiplier, { min: 1 });
  checkFunction(`${key}.retryOn`, options.retryOn);
  checkFunction(`${key}.random`, options.random);
}

/**
 * Repeats failed attempts with exponential back-off and full jitter, bounded by `maxAttempts` and by a
 * {@link RetryBudget}. An error carrying `retryAfterMs` (an open breaker) waits at least that long, or is not
 * retried when that is beyond `backoff.maxMs`. Aborting the signal ends the wait at once with its reason.
 */
export function retry(options: RetryOptions = {}): Interceptor {
  checkRetryOptions('retry', options);
  const { budget } = options;
  const { plan, count } = retryPlanner(options);
  return <T>(next: Call<T>): Call<T> =>
    async (signal) => {
      budget?.deposit();
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await next(signal);
          if (attempt > 1) count('recovered');
          return result;
        } catch (error) {
          // The caller gave up (or an outer deadline passed): repeating would only waste the upstream's time.
          if (signal.aborted) throw error;
          const delay = plan(error, attempt);
          if (delay === undefined) throw error;
          if (delay > 0) await sleep(delay, signal);
        }
      }
    };
}

/** The retry decisions of one {@link retry} interceptor and their metric. */
function retryPlanner(options: RetryOptions) {
  const { maxAttempts = 3, retryOn = defaultRetryOn, budget, target = 'default' } = options;
  const { backoff = {}, random = Math.random } = options;
  const retries = new ResilienceMetrics(options.metricsRegistry).retries;
  const count = (outcome: RetryOutcome) => retries.inc({ target, outcome });

  /** The wait before repeating failed `attempt` (1-based), or undefined to give up with `error`. */
  const plan = (error: unknown, attempt: number): number | undefined => {
    if (attempt >= maxAttempts) {
      if (attempt > 1) count('exhausted');
      return undefined;
    }
    if (!retryOn(error, attempt)) return undefined;
    const delay = Math.max(backoffDelayMs(attempt - 1, backoff, random), retryAfterOf(error));
    if (delay > (backoff.maxMs ?? 30_000)) return undefined;
    if (budget && !budget.tryWithdraw()) {
      count('budget_exhausted');
      return undefined;
    }
    count('retry');
    return delay;
  };
  return { plan, count };
}

function retryAfterOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 0;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && value > 0 ? value : 0;
}
