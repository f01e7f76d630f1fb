/** Exponential back-off settings. */
export interface BackoffOptions {
  /** First delay. @default 100 */
  initialMs?: number;
  /** Upper bound of any delay. @default 30000 */
  maxMs?: number;
  /** Growth per attempt. @default 2 */
  multiplier?: number;
  /** `full` picks uniformly in [0, delay] (AWS "full jitter"); `none` is deterministic. @default 'full' */
  jitter?: 'full' | 'none';
}

/**
 * Delay before retry number `attempt` (0-based): `min(maxMs, initialMs * multiplier^attempt)`, jittered so
 * many clients that failed together do not retry together. `random` is injectable for tests.
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { initialMs = 100, maxMs = 30_000, multiplier = 2, jitter = 'full' } = options;
  const ceiling = Math.min(maxMs, initialMs * multiplier ** Math.max(0, attempt));
  return jitter === 'none' ? ceiling : Math.round(random() * ceiling);
}
