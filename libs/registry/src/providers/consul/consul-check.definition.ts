import { registrationTtlMs, type HealthCheckConfig, type ServiceRegistration } from '@toskamesh/common';
import type { ConsulCheck, ConsulCheckOptions } from './consul.types.js';

const PROBE_NOTES_PREFIX = 'ToskaMesh health probe ';

/** The TTL check every instance gets, renewed by `heartbeat()` (the .NET original's id). */
export function ttlCheckId(serviceId: string): string {
  return `service:${serviceId}`;
}

/** The HTTP check of an instance registered with `healthCheck`. */
export function httpCheckId(serviceId: string): string {
  return `service:${serviceId}:http`;
}

/** A Go duration Consul parses; whole milliseconds keep sub-second TTLs exact. */
export function goDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

function probeUrl(scheme: string, address: string, port: number, endpoint: string): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `${scheme}://${host}:${port}${endpoint}`;
}

/**
 * The checks of a registration: the TTL check `service:<id>` (TTL = `registrationTtlMs`), born passing
 * when there is no health check, so the instance starts Healthy in the same request that registers it;
 * plus, with `healthCheck`, an HTTP check Consul runs itself (`FailuresBeforeCritical` = unhealthy
 * threshold) whose notes carry the settings so any process can read them back.
 * Both carry `DeregisterCriticalServiceAfter` (Consul raises anything under 1 minute to 1 minute).
 */
export function serviceChecks(
  registration: ServiceRegistration & { serviceId: string },
  scheme: string,
  deregisterCriticalAfterMs: number,
): ConsulCheckOptions[] {
  const { serviceId, serviceName, healthCheck } = registration;
  const deregister = goDuration(deregisterCriticalAfterMs);
  const ttl: ConsulCheckOptions = {
    checkid: ttlCheckId(serviceId),
    name: `${serviceName} TTL Health`,
    notes: 'ToskaMesh heartbeat: renewed by ServiceRegistry.heartbeat()',
    ttl: goDuration(registrationTtlMs(registration)),
    deregistercriticalserviceafter: deregister,
    ...(healthCheck ? {} : { status: 'passing' as const }),
  };
  if (!healthCheck) return [ttl];
  const http: ConsulCheckOptions = {
    checkid: httpCheckId(serviceId),
    name: `${serviceName} HTTP Health`,
    notes: `${PROBE_NOTES_PREFIX}${JSON.stringify(healthCheck)}`,
    http: probeUrl(scheme, registration.address, registration.port, healthCheck.endpoint),
    method: 'GET',
    interval: goDuration(healthCheck.intervalMs),
    timeout: goDuration(healthCheck.timeoutMs),
    failuresbeforecritical: healthCheck.unhealthyThreshold,
    deregistercriticalserviceafter: deregister,
  };
  return [ttl, http];
}

/** The `healthCheck` a ToskaMesh registration asked for, read back from its HTTP check's notes. */
export function healthCheckFromChecks(checks: readonly ConsulCheck[]): HealthCheckConfig | undefined {
  const notes = checks.find((check) => check.Notes?.startsWith(PROBE_NOTES_PREFIX))?.Notes;
  if (!notes) return undefined;
  try {
    const parsed = JSON.parse(notes.slice(PROBE_NOTES_PREFIX.length)) as Partial<HealthCheckConfig>;
    const { endpoint, intervalMs, timeoutMs, unhealthyThreshold } = parsed;
    if (typeof endpoint !== 'string' || typeof intervalMs !== 'number') return undefined;
    if (typeof timeoutMs !== 'number' || typeof unhealthyThreshold !== 'number') return undefined;
    return { endpoint, intervalMs, timeoutMs, unhealthyThreshold };
  } catch {
    return undefined;
  }
}
