/**
 * Delay before retry number `attempt` (0-based): `min(maxMs, initialMs * multiplier^attempt)`, jittered so
 * many clients that failed together do not retry together. `random` is injectable for tests.
 */
export function backoffDelayMs(attempt, options = {}, random = Math.random) {
    const { initialMs = 100, maxMs = 30_000, multiplier = 2, jitter = 'full' } = options;
    const ceiling = Math.min(maxMs, initialMs * multiplier ** Math.max(0, attempt));
    return jitter === 'none' ? ceiling : Math.round(random() * ceiling);
}
