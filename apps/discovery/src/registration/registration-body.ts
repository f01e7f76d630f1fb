import {
  DEFAULT_HEALTH_INTERVAL_MS,
  MeshValidationError,
  normalizeRegistration,
  parseDurationMs,
  registrationProblems,
  type HealthCheckConfig,
  type ServiceRegistration,
} from '@toskamesh/common';
import { advertisedAddress } from './caller-address.js';

/** Threshold used when a registration gives none or `<= 0` (as the .NET original's gRPC endpoint). */
export const DEFAULT_UNHEALTHY_THRESHOLD = 3;

/** What the edge knows besides the body. */
export interface RegistrationContext {
  /** IP of the caller, for replacing unspecified/loopback addresses. */
  callerIp?: string;
  /** Probe timeout when the body gives none. */
  defaultTimeoutMs: number;
}

type Json = Record<string, unknown>;

/**
 * Reads a REST `ServiceRegistration` body (camelCase; intervals as seconds or `"00:00:10"`; status-free)
 * into a valid, normalised registration. Throws {@link MeshValidationError} listing every broken rule.
 */
export function parseRegistrationBody(
  body: unknown,
  context: RegistrationContext,
): ServiceRegistration & { serviceId: string } {
  if (!isObject(body)) throw new MeshValidationError('service registration', ['body must be a JSON object']);
  const problems: string[] = [];
  const registration: ServiceRegistration = {
    serviceName: body.serviceName as string,
    address: advertisedAddress(optionalString(body.address, 'address', problems), context.callerIp) as string,
    port: toPort(body.port),
    ...(present(body.serviceId) && body.serviceId !== '' ? { serviceId: body.serviceId as string } : {}),
    ...(present(body.metadata) ? { metadata: body.metadata as Record<string, string> } : {}),
    ...(present(body.scheme) ? { scheme: optionalString(body.scheme, 'scheme', problems) } : {}),
    ...(present(body.tags) ? { tags: stringList(body.tags, problems) } : {}),
  };
  const ttlMs = duration(body.ttlMs ?? body.ttl, body.ttlMs !== undefined ? 'ms' : 's', 'ttl', problems);
  if (ttlMs !== undefined) registration.ttlMs = ttlMs;
  if (present(body.healthCheck)) {
    const healthCheck = parseHealthCheck(body.healthCheck, context.defaultTimeoutMs, problems);
    if (healthCheck) registration.healthCheck = healthCheck;
  }
  return finishRegistration(registration, problems);
}

/**
 * Validates a registration built by any edge (REST, gRPC), adding `shapeProblems` found while reading
 * it, and returns it normalised (generated `serviceId`, interval clamped to >= 1 s).
 */
export function finishRegistration(
  registration: ServiceRegistration,
  shapeProblems: string[] = [],
): ServiceRegistration & { serviceId: string } {
  const problems = [...shapeProblems, ...registrationProblems(registration)];
  if (registration.ttlMs !== undefined && !(registration.ttlMs > 0)) problems.push('ttl must be positive');
  if (problems.length) throw new MeshValidationError('service registration', problems);
  return normalizeRegistration(registration);
}

function parseHealthCheck(
  input: unknown,
  defaultTimeoutMs: number,
  problems: string[],
): HealthCheckConfig | undefined {
  if (!isObject(input)) {
    problems.push('healthCheck must be an object');
    return undefined;
  }
  const interval = input.intervalMs ?? input.interval;
  const timeout = input.timeoutMs ?? input.timeout;
  const intervalMs = duration(
    interval,
    input.intervalMs !== undefined ? 'ms' : 's',
    'healthCheck.interval',
    problems,
  );
  const timeoutMs = duration(
    timeout,
    input.timeoutMs !== undefined ? 'ms' : 's',
    'healthCheck.timeout',
    problems,
  );
  const threshold = input.unhealthyThreshold;
  if (present(threshold) && typeof threshold !== 'number') {
    problems.push(`healthCheck.unhealthyThreshold must be a number (got ${JSON.stringify(threshold)})`);
  }
  return {
    endpoint: input.endpoint as string,
    // 0 is the .NET default of an unset TimeSpan/int: treat it as "not given".
    intervalMs: intervalMs || DEFAULT_HEALTH_INTERVAL_MS,
    timeoutMs: timeoutMs || defaultTimeoutMs,
    unhealthyThreshold:
      typeof threshold === 'number' && threshold !== 0 ? threshold : DEFAULT_UNHEALTHY_THRESHOLD,
  };
}

function duration(
  value: unknown,
  bareUnit: 'ms' | 's',
  name: string,
  problems: string[],
): number | undefined {
  if (!present(value)) return undefined;
  try {
    return parseDurationMs(value, bareUnit);
  } catch {
    problems.push(`${name} must be seconds or a TimeSpan like "00:00:10" (got ${JSON.stringify(value)})`);
    return undefined;
  }
}

function toPort(value: unknown): number {
  // ASP.NET's web JSON defaults read numbers from strings too.
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return value as number;
}

function optionalString(value: unknown, name: string, problems: string[]): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${name} must be a string (got ${JSON.stringify(value)})`);
  return undefined;
}

function stringList(value: unknown, problems: string[]): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  problems.push('tags must be an array of strings');
  return [];
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
