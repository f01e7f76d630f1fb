import type { HealthStatus, ServiceInstance, ServiceRegistration } from '@toskamesh/common';

/** Contract: an instance probed by a health check starts `Unknown`, one living on heartbeats `Healthy`. */
export function initialStatus(registration: Pick<ServiceRegistration, 'healthCheck'>): HealthStatus {
  return registration.healthCheck ? 'Unknown' : 'Healthy';
}

/** The instance a fresh registration becomes at `now`. */
export function createInstance(
  registration: ServiceRegistration & { serviceId: string },
  now: Date,
): ServiceInstance {
  const metadata = { ...(registration.metadata ?? {}) };
  return freezeInstance({
    serviceName: registration.serviceName,
    serviceId: registration.serviceId,
    address: registration.address,
    port: registration.port,
    scheme: registration.scheme ?? metadata['scheme'] ?? 'http',
    status: initialStatus(registration),
    metadata,
    tags: [...(registration.tags ?? [])],
    registeredAt: now,
    lastHeartbeatAt: null,
    ...(registration.healthCheck ? { healthCheck: { ...registration.healthCheck } } : {}),
  });
}

/**
 * Freezes an instance and its collections: providers hand the same object to many readers and
 * watchers, so one consumer must not be able to change what the others see.
 */
export function freezeInstance(instance: ServiceInstance): ServiceInstance {
  Object.freeze(instance.metadata);
  Object.freeze(instance.tags);
  if (instance.healthCheck) Object.freeze(instance.healthCheck);
  return Object.freeze(instance);
}

/** Orders instances by `serviceId` (ordinal, like every sorted list the registry returns). */
export function byServiceId(a: ServiceInstance, b: ServiceInstance): number {
  return compareOrdinal(a.serviceId, b.serviceId);
}

/** Ordinal (UTF-16 code unit) comparison: the same order in every provider and locale. */
export function compareOrdinal(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
