import { MeshConfigError } from '../errors/mesh-config.error.js';
/** Longest delay Node timers accept; larger values fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;
/**
 * `value` (or `fallback` when absent) after checking it is a usable positive duration in milliseconds;
 * otherwise {@link MeshConfigError} naming `key`. For module options validated at start-up.
 */
export function positiveMs(key, value, fallback) {
    if (value === undefined)
        return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
        throw new MeshConfigError(key, 'must be a positive number of milliseconds', {
            value,
            allowed: `a number in (0, ${MAX_TIMER_MS}]`,
        });
    }
    return value;
}
/** `value` (or `fallback` when absent) after checking it is a whole number >= `min`; else {@link MeshConfigError}. */
export function wholeNumber(key, value, fallback, min) {
    if (value === undefined)
        return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
        throw new MeshConfigError(key, `must be a whole number >= ${min}`, { value });
    }
    return value;
}
