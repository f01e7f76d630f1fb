import {
  MESH_METADATA,
  parseDurationMs,
  parseHealthStatus,
  type HealthCheckConfig,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import type { RegistryChange, RegistryEvent } from '../../registry-change.js';
import type { SseMessage } from './sse.parser.js';

/** Provider name used in this client's errors and logs. */
export const DISCOVERY_PROVIDER = 'discovery';

/** The JSON `ServiceRegistration` body of `POST /api/ServiceRegistration/register`. */
export interface WireRegistration {
  serviceName: string;
  serviceId: string;
  address: string;
  port: number;
  metadata: Record<string, string>;
  /** Intervals in seconds, as the contract (and the .NET original's binder) accepts them. */
  healthCheck?: { endpoint: string; interval: number; timeout: number; unhealthyThreshold: number };
  /** Extensions of this port, sent only when set (the .NET original ignores them). */
  scheme?: string;
  tags?: string[];
  ttlMs?: number;
}

type Json = Record<string, unknown>;

const EVENT_TYPES: ReadonlySet<string> = new Set(['register', 'deregister', 'health', 'metadata']);

/**
 * Turns a registration (already normalized: it has its `serviceId`) into the wire body. `scheme`, `tags`
 * and `ttlMs` are this port's extensions; metadata travels unchanged (put `scheme` in it for the original).
 */
export function encodeWireRegistration(
  registration: ServiceRegistration & { serviceId: string },
): WireRegistration {
  const { healthCheck, tags, scheme, ttlMs } = registration;
  return {
    serviceName: registration.serviceName,
    serviceId: registration.serviceId,
    address: registration.address,
    port: registration.port,
    metadata: { ...(registration.metadata ?? {}) },
    ...(healthCheck
      ? {
          healthCheck: {
            endpoint: healthCheck.endpoint,
            interval: healthCheck.intervalMs / 1000,
            timeout: healthCheck.timeoutMs / 1000,
            unhealthyThreshold: healthCheck.unhealthyThreshold,
          },
        }
      : {}),
    ...(scheme ? { scheme } : {}),
    ...(tags?.length ? { tags: [...tags] } : {}),
    ...(ttlMs === undefined ? {} : { ttlMs }),
  };
}

/**
 * Reads a JSON `ServiceInstance` as the discovery service (or the .NET original) emits it: `status` as
 * the integer code or the name, ISO dates, `lastHealthCheck: null` before the first heartbeat.
 * Throws {@link RegistryUnavailableError} for a body that is not an instance.
 */
export function decodeWireInstance(value: unknown): ServiceInstance {
  const json = asObject(value, 'instance');
  const metadata = decodeMetadata(json['metadata']);
  const healthCheck = json['healthCheck'] == null ? undefined : decodeHealthCheck(json['healthCheck']);
  const tags = json['tags'];
  return {
    serviceName: requireString(json, 'serviceName'),
    serviceId: requireString(json, 'serviceId'),
    address: requireString(json, 'address'),
    port: requirePort(json['port']),
    scheme: typeof json['scheme'] === 'string' ? json['scheme'] : (metadata[MESH_METADATA.scheme] ?? 'http'),
    status: malformedOnThrow(() => parseHealthStatus(json['status'] ?? 0)),
    metadata,
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [],
    registeredAt: decodeDate(json['registeredAt'], 'registeredAt') ?? new Date(0),
    // The original's field; this port's server also sends `lastHeartbeatAt` (heartbeats only).
    lastHeartbeatAt:
      json['lastHealthCheck'] === undefined
        ? decodeDate(json['lastHeartbeatAt'], 'lastHeartbeatAt')
        : decodeDate(json['lastHealthCheck'], 'lastHealthCheck'),
    ...(healthCheck ? { healthCheck } : {}),
  };
}

/**
 * Turns one SSE message of `GET /api/ServiceDiscovery/watch` into a change, or `undefined` for an event
 * type this client does not know (a newer server may add some). The index comes from the data, else `id:`.
 */
export function decodeWatchMessage(message: SseMessage): RegistryChange | undefined {
  let data: Json;
  try {
    data = asObject(JSON.parse(message.data), 'watch event');
  } catch (error) {
    if (error instanceof RegistryUnavailableError) throw error;
    throw malformed(`watch event data is not JSON: ${message.data.slice(0, 80)}`, error);
  }
  const type = message.event !== 'message' ? message.event : String(data['type'] ?? '');
  const index = decodeIndex(data['index'] ?? message.lastEventId);
  if (type === 'snapshot') {
    const instances = data['instances'];
    if (!Array.isArray(instances)) throw malformed('snapshot without an instances array');
    return { type: 'snapshot', index, instances: instances.map(decodeWireInstance) };
  }
  if (!EVENT_TYPES.has(type)) return undefined;
  const event: RegistryEvent = {
    type: type as RegistryEvent['type'],
    index,
    instance: decodeWireInstance(data['instance']),
  };
  if (type === 'deregister') event.reason = data['reason'] === 'expired' ? 'expired' : 'deregistered';
  return event;
}

/** Reads a registry index (a JSON number or a digit string, as in `id:`). */
export function decodeIndex(value: unknown): number {
  const index = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw malformed(`index must be a non-negative integer (got ${JSON.stringify(value)})`);
  }
  return index;
}

function decodeHealthCheck(value: unknown): HealthCheckConfig {
  const json = asObject(value, 'healthCheck');
  return malformedOnThrow(() => ({
    endpoint: typeof json['endpoint'] === 'string' ? json['endpoint'] : '/health',
    intervalMs: parseDurationMs(json['interval'] ?? 10),
    timeoutMs: parseDurationMs(json['timeout'] ?? 5),
    unhealthyThreshold: Number(json['unhealthyThreshold'] ?? 3),
  }));
}

function decodeMetadata(value: unknown): Record<string, string> {
  if (value == null) return {};
  const json = asObject(value, 'metadata');
  return Object.fromEntries(Object.entries(json).map(([key, entry]) => [key, String(entry)]));
}

function decodeDate(value: unknown, field: string): Date | null {
  if (value == null) return null;
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw malformed(`${field} is not a date (${JSON.stringify(value)})`);
  return date;
}

function requireString(json: Json, field: string): string {
  const value = json[field];
  if (typeof value !== 'string' || value === '') throw malformed(`instance without ${field}`);
  return value;
}

function requirePort(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw malformed(`port ${JSON.stringify(value)}`);
  return value;
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${what} is not an object`);
  }
  return value as Json;
}

function malformedOnThrow<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
}

function malformed(problem: string, cause?: unknown): RegistryUnavailableError {
  return new RegistryUnavailableError(DISCOVERY_PROVIDER, `malformed response: ${problem}`, cause);
}
