/** Interval used when a registration has no health check. */
export const DEFAULT_HEALTH_INTERVAL_MS = 10_000;
/** TTL a registration gets: explicit `ttlMs`, else 3 x its interval (contract: TTL = 3 x interval). */
export function registrationTtlMs(registration) {
    if (registration.ttlMs !== undefined)
        return registration.ttlMs;
    return 3 * (registration.healthCheck?.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS);
}
