import {
  MESH_METADATA,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { healthCheckFromChecks, serviceChecks } from './consul-check.definition.js';
import { aggregateHealth } from './consul-status.mapper.js';
import type { ConsulCheck, ConsulService, ConsulServiceOptions } from './consul.types.js';

/** Service `Meta` key holding the registration time, so it survives restarts and other readers. */
export const REGISTERED_AT_META = 'toskamesh_registered_at';

const META_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Consul's own `Meta` rules (stricter than the mesh's): keys of `[A-Za-z0-9_-]`, at most 128
 * characters and not starting with `consul-`, values of at most 512 characters, at most 64 pairs
 * including the one the provider adds.
 */
export function consulMetaProblems(metadata: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const entries = Object.entries(metadata);
  if (entries.length > 63) {
    problems.push(
      `Consul allows 64 metadata entries and keeps one (${REGISTERED_AT_META}); got ${entries.length}`,
    );
  }
  for (const [key, value] of entries) {
    if (!META_KEY.test(key) || key.length > 128) {
      problems.push(
        `Consul metadata keys must be 1-128 characters of [A-Za-z0-9_-] (got ${JSON.stringify(key)})`,
      );
    } else if (key.startsWith('consul-')) {
      problems.push(`Consul reserves metadata keys starting with "consul-" (got ${JSON.stringify(key)})`);
    } else if (key === REGISTERED_AT_META) {
      problems.push(`metadata key ${REGISTERED_AT_META} is reserved by the Consul provider`);
    }
    if (value.length > 512)
      problems.push(`Consul metadata values must be at most 512 characters (key ${JSON.stringify(key)})`);
  }
  return problems;
}

/** The scheme an instance is reached with: explicit, else metadata `scheme` (any key case), else http. */
export function schemeOf(scheme: string | undefined, metadata: Readonly<Record<string, string>>): string {
  if (scheme) return scheme;
  const key = Object.keys(metadata).find((name) => name.toLowerCase() === MESH_METADATA.scheme);
  return (key && metadata[key]) || 'http';
}

/** User metadata as stored: the registration's, plus `scheme` when it was given outside metadata. */
export function storedMetadata(registration: ServiceRegistration): Record<string, string> {
  const metadata = { ...(registration.metadata ?? {}) };
  const hasScheme = Object.keys(metadata).some((key) => key.toLowerCase() === MESH_METADATA.scheme);
  if (registration.scheme && !hasScheme) metadata[MESH_METADATA.scheme] = registration.scheme;
  return metadata;
}

/** The agent registration body of a normalized registration. */
export function toServiceOptions(
  registration: ServiceRegistration & { serviceId: string },
  registeredAt: Date,
  deregisterCriticalAfterMs: number,
): ConsulServiceOptions {
  const metadata = storedMetadata(registration);
  return {
    id: registration.serviceId,
    name: registration.serviceName,
    address: registration.address,
    port: registration.port,
    tags: [...(registration.tags ?? [])],
    meta: { ...metadata, [REGISTERED_AT_META]: registeredAt.toISOString() },
    checks: serviceChecks(registration, schemeOf(registration.scheme, metadata), deregisterCriticalAfterMs),
  };
}

/** `Meta` without the provider's own key. */
export function userMetadata(
  meta: Readonly<Record<string, string>> | null | undefined,
): Record<string, string> {
  const { [REGISTERED_AT_META]: _registeredAt, ...rest } = meta ?? {};
  return rest;
}

/** When the instance registered; the epoch for services registered without the provider (unknown). */
export function registeredAtOf(meta: Readonly<Record<string, string>> | null | undefined): Date {
  const at = Date.parse(meta?.[REGISTERED_AT_META] ?? '');
  return new Date(Number.isNaN(at) ? 0 : at);
}

/** A mesh instance from Consul's service and checks; `lastHeartbeatAt` is what this process saw. */
export function toInstance(
  service: ConsulService,
  checks: readonly ConsulCheck[],
  lastHeartbeatAt: Date | null,
  status: HealthStatus = aggregateHealth(checks),
): ServiceInstance {
  const metadata = userMetadata(service.Meta);
  const healthCheck = healthCheckFromChecks(checks);
  return {
    serviceName: service.Service,
    serviceId: service.ID,
    address: service.Address ?? '',
    port: service.Port ?? 0,
    scheme: schemeOf(undefined, metadata),
    status,
    metadata,
    tags: [...(service.Tags ?? [])],
    registeredAt: registeredAtOf(service.Meta),
    lastHeartbeatAt,
    ...(healthCheck ? { healthCheck } : {}),
  };
}

/** A mesh instance from one `/v1/health/service` entry (an empty service address means the node's). */
export function fromHealthEntry(
  entry: { Node?: { Address?: string }; Service: ConsulService; Checks?: ConsulCheck[] | null },
  lastHeartbeatAt: Date | null,
): ServiceInstance {
  const service = { ...entry.Service, Address: entry.Service.Address || entry.Node?.Address || '' };
  return toInstance(service, entry.Checks ?? [], lastHeartbeatAt);
}
