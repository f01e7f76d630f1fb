import type { ServiceRegistration } from '@toskamesh/common';
import type { ResolvedMeshRuntimeOptions } from '../options/resolved-runtime-options.js';

/** The registration this service sends once it listens on `address:port`. TTL = 3 x the health interval. */
export function registrationPayload(
  options: Pick<ResolvedMeshRuntimeOptions, 'service' | 'registration'>,
  address: string,
  port: number,
): ServiceRegistration {
  const { service, registration } = options;
  return {
    serviceName: service.name,
    serviceId: service.id,
    address,
    port,
    scheme: service.scheme,
    metadata: { ...service.metadata },
    tags: [...service.tags],
    ttlMs: 3 * registration.healthIntervalMs,
    ...(registration.activeHealthCheck
      ? {
          healthCheck: {
            endpoint: service.routing.healthCheckEndpoint,
            intervalMs: registration.healthIntervalMs,
            timeoutMs: registration.healthTimeoutMs,
            unhealthyThreshold: registration.unhealthyThreshold,
          },
        }
      : {}),
  };
}

/** Heartbeats go out a little faster than TTL / 3, so two lost beats in a row do not expire the instance. */
export function heartbeatPeriodMs(healthIntervalMs: number): number {
  return Math.max(50, Math.floor(healthIntervalMs * 0.8));
}
