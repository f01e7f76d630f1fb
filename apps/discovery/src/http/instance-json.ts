import { formatTimeSpan, healthStatusToCode, type ServiceInstance } from '@toskamesh/common';

/** `HealthCheckConfiguration` as the .NET original serialises it (TimeSpans as `"00:00:10"`). */
export interface HealthCheckJson {
  endpoint: string;
  interval: string;
  timeout: string;
  unhealthyThreshold: number;
}

/**
 * The contract's `ServiceInstance` JSON: every field of the original present (`null` when unknown),
 * `status` as its integer, plus this port's `scheme`, `tags`, `lastHeartbeatAt`, `healthCheck`.
 */
export interface ServiceInstanceJson {
  serviceName: string;
  serviceId: string;
  address: string;
  port: number;
  status: number;
  metadata: Record<string, string>;
  registeredAt: string | null;
  lastHealthCheck: string | null;
  scheme: string;
  tags: string[];
  lastHeartbeatAt: string | null;
  healthCheck: HealthCheckJson | null;
}

/** Maps a registry instance to its wire form; `lastHealthCheck` prefers a later probe time when known. */
export function toInstanceJson(instance: ServiceInstance, lastProbeAt?: Date | null): ServiceInstanceJson {
  const heartbeat = instance.lastHeartbeatAt ?? null;
  return {
    serviceName: instance.serviceName,
    serviceId: instance.serviceId,
    address: instance.address,
    port: instance.port,
    status: healthStatusToCode(instance.status),
    metadata: { ...instance.metadata },
    registeredAt: isoOrNull(instance.registeredAt),
    lastHealthCheck: isoOrNull(latest(heartbeat, lastProbeAt ?? null)),
    scheme: instance.scheme,
    tags: [...instance.tags],
    lastHeartbeatAt: isoOrNull(heartbeat),
    healthCheck: instance.healthCheck
      ? {
          endpoint: instance.healthCheck.endpoint,
          interval: formatTimeSpan(instance.healthCheck.intervalMs),
          timeout: formatTimeSpan(instance.healthCheck.timeoutMs),
          unhealthyThreshold: instance.healthCheck.unhealthyThreshold,
        }
      : null,
  };
}

/** The later of two optional times. */
export function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

/** ISO-8601 text, or `null` for a missing or invalid date. */
export function isoOrNull(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
