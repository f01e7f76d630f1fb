import {
  MeshValidationError,
  normalizeRegistration,
  registrationTtlMs,
  type ServiceRegistration,
} from '@toskamesh/common';

/** A registration checked against the contract, with its id and TTL settled. */
export interface PreparedRegistration {
  registration: ServiceRegistration & { serviceId: string };
  ttlMs: number;
}

/**
 * Validates (contract rules plus a positive `ttlMs`) and normalizes a registration the same way for
 * every provider, so they all refuse and accept the same input.
 */
export function prepareRegistration(input: ServiceRegistration): PreparedRegistration {
  if (typeof input !== 'object' || input === null) {
    throw new MeshValidationError('service registration', ['the registration must be an object']);
  }
  const registration = normalizeRegistration(input);
  const ttlMs = registrationTtlMs(registration);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new MeshValidationError('service registration', [
      `ttlMs must be a positive number of milliseconds (got ${JSON.stringify(input.ttlMs)})`,
    ]);
  }
  return { registration, ttlMs };
}
