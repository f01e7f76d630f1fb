import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { MeshValidationError } from '../errors/mesh-validation.error.js';
/** Limits from the discovery contract (`contracts/discovery.md`). */
export const REGISTRATION_LIMITS = {
    serviceNameMaxLength: 128,
    metadataMaxEntries: 64,
    metadataMaxBytes: 4096,
    minHealthIntervalMs: 1000,
};
const SERVICE_NAME = /^[A-Za-z0-9._-]+$/;
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
/** True for an IPv4/IPv6 literal or an RFC 1123 host name. */
export function isValidAddress(address) {
    if (isIP(address))
        return true;
    return address.length <= 253 && address.split('.').every((label) => HOST_LABEL.test(label));
}
/** Lists every rule `registration` breaks (empty when valid). */
export function registrationProblems(registration) {
    const problems = [];
    const { serviceName, serviceId, address, port, metadata, healthCheck } = registration;
    if (typeof serviceName !== 'string' || serviceName.length === 0)
        problems.push('serviceName is required');
    else if (serviceName.length > REGISTRATION_LIMITS.serviceNameMaxLength || !SERVICE_NAME.test(serviceName)) {
        problems.push(`serviceName must be 1-128 characters of [A-Za-z0-9._-] (got ${JSON.stringify(serviceName)})`);
    }
    if (serviceId !== undefined &&
        (typeof serviceId !== 'string' || !/^[A-Za-z0-9._:-]{1,200}$/.test(serviceId))) {
        problems.push(`serviceId must be 1-200 characters of [A-Za-z0-9._:-] (got ${JSON.stringify(serviceId)})`);
    }
    if (typeof address !== 'string' || !isValidAddress(address)) {
        problems.push(`address must be a host name or an IP address (got ${JSON.stringify(address)})`);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        problems.push(`port must be an integer 1-65535 (got ${JSON.stringify(port)})`);
    problems.push(...metadataProblems(metadata));
    if (healthCheck) {
        if (typeof healthCheck.endpoint !== 'string' || !healthCheck.endpoint.startsWith('/')) {
            problems.push(`healthCheck.endpoint must be a path starting with "/" (got ${JSON.stringify(healthCheck.endpoint)})`);
        }
        if (!(healthCheck.timeoutMs > 0))
            problems.push('healthCheck.timeout must be positive');
        if (!Number.isInteger(healthCheck.unhealthyThreshold) || healthCheck.unhealthyThreshold < 1) {
            problems.push('healthCheck.unhealthyThreshold must be a positive integer');
        }
    }
    return problems;
}
/** Lists the metadata rules broken: string values only, at most 64 entries and 4 KiB of UTF-8. */
export function metadataProblems(metadata) {
    if (metadata === undefined || metadata === null)
        return [];
    if (typeof metadata !== 'object' || Array.isArray(metadata))
        return ['metadata must be an object of strings'];
    const entries = Object.entries(metadata);
    const problems = [];
    if (entries.length > REGISTRATION_LIMITS.metadataMaxEntries) {
        problems.push(`metadata has ${entries.length} entries; at most ${REGISTRATION_LIMITS.metadataMaxEntries} are allowed`);
    }
    const nonString = entries.filter(([, value]) => typeof value !== 'string').map(([key]) => key);
    if (nonString.length)
        problems.push(`metadata values must be strings (not: ${nonString.slice(0, 5).join(', ')})`);
    const bytes = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)), 0);
    if (bytes > REGISTRATION_LIMITS.metadataMaxBytes) {
        problems.push(`metadata is ${bytes} bytes; at most ${REGISTRATION_LIMITS.metadataMaxBytes} bytes of keys and values are allowed`);
    }
    return problems;
}
/**
 * Checks `registration` against the contract and returns it with a `serviceId` (generated
 * `<serviceName>-<uuid>` when absent) and health-check interval clamped to >= 1 s.
 * Throws {@link MeshValidationError} listing every broken rule.
 */
export function normalizeRegistration(registration) {
    const problems = registrationProblems(registration);
    if (problems.length)
        throw new MeshValidationError('service registration', problems);
    const healthCheck = registration.healthCheck && {
        ...registration.healthCheck,
        intervalMs: Math.max(REGISTRATION_LIMITS.minHealthIntervalMs, registration.healthCheck.intervalMs),
    };
    return {
        ...registration,
        serviceId: registration.serviceId || `${registration.serviceName}-${randomUUID()}`,
        metadata: { ...(registration.metadata ?? {}) },
        tags: [...(registration.tags ?? [])],
        ...(healthCheck ? { healthCheck } : {}),
    };
}
