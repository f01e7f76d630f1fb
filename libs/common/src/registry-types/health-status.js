import { MeshValidationError } from '../errors/mesh-validation.error.js';
/** Every status, in wire-code order (`Unknown` = 0 ... `Degraded` = 3). */
export const HEALTH_STATUSES = ['Unknown', 'Healthy', 'Unhealthy', 'Degraded'];
/** Integer codes used by the .NET original's JSON and gRPC (`HEALTH_STATUS_*`). */
export const HEALTH_STATUS_CODES = {
    Unknown: 0,
    Healthy: 1,
    Unhealthy: 2,
    Degraded: 3,
};
/** The original's integer for a status. */
export function healthStatusToCode(status) {
    return HEALTH_STATUS_CODES[status];
}
/**
 * Reads a status as clients send it: the integer code (number or digit string), the name in any case,
 * or the proto enum name (`HEALTH_STATUS_HEALTHY`). Throws {@link MeshValidationError} otherwise.
 */
export function parseHealthStatus(input) {
    if (typeof input === 'number' && Number.isInteger(input) && input >= 0 && input < HEALTH_STATUSES.length) {
        return HEALTH_STATUSES[input];
    }
    if (typeof input === 'string') {
        const text = input.trim();
        if (/^\d$/.test(text))
            return parseHealthStatus(Number(text));
        const name = text.replace(/^HEALTH_STATUS_/i, '').toLowerCase();
        const match = HEALTH_STATUSES.find((status) => status.toLowerCase() === name);
        if (match)
            return match;
    }
    throw new MeshValidationError('health status', [
        `status must be 0-3 or one of ${HEALTH_STATUSES.join(', ')} (got ${JSON.stringify(input)})`,
    ]);
}
