import type { ChannelCredentials } from '@grpc/grpc-js';
import {
  MESH_METADATA,
  MeshValidationError,
  parseHealthStatus,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { RegistryAccessDeniedError } from '../../errors/registry-access-denied.error.js';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import type { RegistryChange, RegistryEvent } from '../../registry-change.js';
import { DISCOVERY_PROVIDER, decodeIndex } from './discovery-wire.codec.js';
import { grpcJs } from './grpc-runtime.js';

type Message = Record<string, unknown>;

/** Where and how the gRPC channel connects. */
export interface GrpcTarget {
  /** `host:port` as grpc-js expects it. */
  target: string;
  credentials: ChannelCredentials;
}

const WATCH_TYPES: Readonly<Record<string, RegistryChange['type']>> = {
  SNAPSHOT: 'snapshot',
  REGISTER: 'register',
  DEREGISTER: 'deregister',
  HEALTH: 'health',
  METADATA: 'metadata',
};

/**
 * Reads the gRPC address: `host:port` and `http://host:port` connect without TLS, `https://host[:port]`
 * with TLS and the default root certificates (port 443 when absent).
 */
export function grpcTarget(address: string): GrpcTarget {
  const { credentials } = grpcJs();
  const match = /^(https?):\/\//i.exec(address);
  if (!match) return { target: address, credentials: credentials.createInsecure() };
  const url = new URL(address);
  const secure = match[1]!.toLowerCase() === 'https';
  const port = url.port || (secure ? '443' : '80');
  return {
    target: `${url.hostname}:${port}`,
    credentials: secure ? credentials.createSsl() : credentials.createInsecure(),
  };
}

/** `RegisterServiceRequest` for a normalized registration; intervals become whole seconds (at least 1). */
export function encodeGrpcRegistration(registration: ServiceRegistration & { serviceId: string }): Message {
  const metadata = { ...(registration.metadata ?? {}) };
  if (registration.scheme && metadata[MESH_METADATA.scheme] === undefined) {
    metadata[MESH_METADATA.scheme] = registration.scheme;
  }
  const { healthCheck } = registration;
  const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));
  return {
    serviceName: registration.serviceName,
    serviceId: registration.serviceId,
    address: registration.address,
    port: registration.port,
    metadata,
    healthCheck: healthCheck
      ? {
          endpoint: healthCheck.endpoint,
          intervalSeconds: seconds(healthCheck.intervalMs),
          timeoutSeconds: seconds(healthCheck.timeoutMs),
          unhealthyThreshold: healthCheck.unhealthyThreshold,
        }
      : null,
  };
}

/** The proto enum name of a status (`HEALTH_STATUS_DEGRADED`). */
export function grpcHealthStatus(status: HealthStatus): string {
  return `HEALTH_STATUS_${status.toUpperCase()}`;
}

/** Reads a proto `ServiceInstance` (loaded with `keepCase`, `enums: String`, `longs: String`). */
export function decodeGrpcInstance(message: unknown): ServiceInstance {
  if (typeof message !== 'object' || message === null) throw malformed('instance is missing');
  const json = message as Message;
  const metadata = Object.fromEntries(
    Object.entries((json['metadata'] as Message | null) ?? {}).map(([key, value]) => [key, String(value)]),
  );
  const text = (field: string) => {
    const value = json[field];
    if (typeof value !== 'string' || value === '') throw malformed(`instance without ${field}`);
    return value;
  };
  let status: HealthStatus;
  try {
    status = parseHealthStatus(json['status'] ?? 0);
  } catch (error) {
    throw malformed(`status ${JSON.stringify(json['status'])}`, error);
  }
  return {
    serviceName: text('serviceName'),
    serviceId: text('serviceId'),
    address: text('address'),
    port: Number(json['port']),
    scheme: metadata[MESH_METADATA.scheme] ?? 'http',
    status,
    metadata,
    tags: [],
    registeredAt: decodeTimestamp(json['registeredAt']) ?? new Date(0),
    lastHeartbeatAt: decodeTimestamp(json['lastHealthCheck']),
  };
}

/** Reads one `WatchEvent`, or `undefined` for a type this client does not know. */
export function decodeGrpcWatchEvent(message: unknown): RegistryChange | undefined {
  const json = (message ?? {}) as Message;
  const type = WATCH_TYPES[String(json['type'])];
  if (!type) return undefined;
  const index = decodeIndex(String(json['index'] ?? '0'));
  if (type === 'snapshot') {
    const instances = Array.isArray(json['instances']) ? json['instances'] : [];
    return { type, index, instances: instances.map(decodeGrpcInstance) };
  }
  const event: RegistryEvent = { type, index, instance: decodeGrpcInstance(json['instance']) };
  if (type === 'deregister') event.reason = json['reason'] === 'expired' ? 'expired' : 'deregistered';
  return event;
}

/** Merges `update` into `current` as the contract says: keys compared case-insensitively, new values win. */
export function mergeMetadata(
  current: Readonly<Record<string, string>>,
  update: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    for (const existing of Object.keys(merged)) {
      if (existing.toLowerCase() === key.toLowerCase()) delete merged[existing];
    }
    merged[key] = value;
  }
  return merged;
}

/** The gRPC status code of a failed call, or `undefined` for anything else. */
export function grpcCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'number' ? code : undefined;
}

/**
 * The typed error for a failed call (NOT_FOUND is the caller's to interpret):
 * INVALID_ARGUMENT → {@link MeshValidationError}; UNAUTHENTICATED / PERMISSION_DENIED →
 * {@link RegistryAccessDeniedError}; everything else (UNAVAILABLE, DEADLINE_EXCEEDED, ...) →
 * {@link RegistryUnavailableError}.
 */
export function grpcErrorFor(error: unknown, operation: string, timeoutMs: number): Error {
  const grpcStatus = grpcJs().status;
  const code = grpcCode(error);
  const details = (error as { details?: unknown } | null)?.details;
  const detail =
    typeof details === 'string' && details ? details : error instanceof Error ? error.message : String(error);
  switch (code) {
    case grpcStatus.INVALID_ARGUMENT:
      return new MeshValidationError(`discovery ${operation} request`, [detail]);
    case grpcStatus.UNAUTHENTICATED:
      return new RegistryAccessDeniedError(DISCOVERY_PROVIDER, 401, detail);
    case grpcStatus.PERMISSION_DENIED:
      return new RegistryAccessDeniedError(DISCOVERY_PROVIDER, 403, detail);
    case grpcStatus.DEADLINE_EXCEEDED:
      return new RegistryUnavailableError(
        DISCOVERY_PROVIDER,
        `${operation} timed out after ${timeoutMs} ms`,
        error,
      );
    default: {
      const name = code === undefined ? '' : `${grpcStatus[code] ?? code}: `;
      return new RegistryUnavailableError(DISCOVERY_PROVIDER, `${operation} failed: ${name}${detail}`, error);
    }
  }
}

function decodeTimestamp(value: unknown): Date | null {
  if (typeof value !== 'object' || value === null) return null;
  const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
  const ms = Number(seconds ?? 0) * 1000 + Math.floor(Number(nanos ?? 0) / 1e6);
  // The .NET original sends DateTime.MinValue (negative seconds) for "never"; zero means unset.
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : null;
}

function malformed(problem: string, cause?: unknown): RegistryUnavailableError {
  return new RegistryUnavailableError(DISCOVERY_PROVIDER, `malformed response: ${problem}`, cause);
}
