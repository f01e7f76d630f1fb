import {
  DEFAULT_HEALTH_INTERVAL_MS,
  MeshValidationError,
  type HealthCheckConfig,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { advertisedAddress } from '../registration/caller-address.js';
import { DEFAULT_UNHEALTHY_THRESHOLD, finishRegistration } from '../registration/registration-body.js';
import type { WatchMessage } from '../watch/watch-hub.service.js';

/** `google.protobuf.Timestamp`. */
export interface GrpcTimestamp {
  seconds: number;
  nanos: number;
}

/** The proto `ServiceInstance` as proto-loader serialises it. */
export interface GrpcInstance {
  serviceName: string;
  serviceId: string;
  address: string;
  port: number;
  status: string;
  metadata: Record<string, string>;
  registeredAt: GrpcTimestamp | null;
  lastHealthCheck: GrpcTimestamp | null;
}

/** The proto `RegisterServiceRequest` (proto3: absent fields arrive as their defaults). */
export interface GrpcRegisterRequest {
  serviceName?: string;
  serviceId?: string;
  address?: string;
  port?: number;
  metadata?: Record<string, string>;
  healthCheck?: {
    endpoint?: string;
    intervalSeconds?: number;
    timeoutSeconds?: number;
    unhealthyThreshold?: number;
  } | null;
}

/** The proto `WatchEvent`. */
export interface GrpcWatchEvent {
  type: 'SNAPSHOT' | 'REGISTER' | 'DEREGISTER' | 'HEALTH' | 'METADATA';
  index: string;
  instance: GrpcInstance | null;
  instances: GrpcInstance[];
  reason: string;
}

/**
 * Reads a `RegisterServiceRequest` as the .NET original's gRPC endpoint did: an empty, unspecified or
 * loopback address from a remote peer becomes the peer's IP; `intervalSeconds` 0 means the default
 * (10 s), others are clamped to >= 1 s; `timeoutSeconds` 0 means `defaultTimeoutMs`; a threshold
 * <= 0 means 3. Throws `MeshValidationError` (INVALID_ARGUMENT) listing every broken rule.
 */
export function registrationFromGrpc(
  request: GrpcRegisterRequest,
  peerIp: string | undefined,
  defaultTimeoutMs: number,
): ServiceRegistration & { serviceId: string } {
  const check = request.healthCheck;
  const healthCheck: HealthCheckConfig | undefined =
    // Message fields keep their presence in proto3: a sent HealthCheckConfig is a health check.
    check
      ? {
          endpoint: check.endpoint || '/health',
          intervalMs: check.intervalSeconds
            ? Math.max(1, check.intervalSeconds) * 1000
            : DEFAULT_HEALTH_INTERVAL_MS,
          timeoutMs: check.timeoutSeconds ? Math.max(1, check.timeoutSeconds) * 1000 : defaultTimeoutMs,
          unhealthyThreshold:
            check.unhealthyThreshold && check.unhealthyThreshold > 0
              ? check.unhealthyThreshold
              : DEFAULT_UNHEALTHY_THRESHOLD,
        }
      : undefined;
  const registration: ServiceRegistration = {
    serviceName: request.serviceName ?? '',
    address: advertisedAddress(request.address, peerIp) ?? '',
    port: Number(request.port ?? 0),
    metadata: { ...(request.metadata ?? {}) },
    ...(request.serviceId ? { serviceId: request.serviceId } : {}),
    ...(healthCheck ? { healthCheck } : {}),
  };
  return finishRegistration(registration);
}

/** A proto `HealthStatus` (name or number) as a status; throws `MeshValidationError` for anything else. */
export function statusFromGrpc(value: unknown): HealthStatus {
  const names: Record<string, HealthStatus> = {
    HEALTH_STATUS_UNKNOWN: 'Unknown',
    HEALTH_STATUS_HEALTHY: 'Healthy',
    HEALTH_STATUS_UNHEALTHY: 'Unhealthy',
    HEALTH_STATUS_DEGRADED: 'Degraded',
  };
  const byNumber = ['Unknown', 'Healthy', 'Unhealthy', 'Degraded'] as const;
  const status = typeof value === 'number' ? byNumber[value] : names[String(value)];
  if (!status)
    throw new MeshValidationError('health report', [`status ${JSON.stringify(value)} is not a HealthStatus`]);
  return status;
}

/** A registry instance as a proto `ServiceInstance`. */
export function toGrpcInstance(instance: ServiceInstance, lastProbeAt: Date | null = null): GrpcInstance {
  const heartbeat = instance.lastHeartbeatAt;
  const lastCheck =
    heartbeat && lastProbeAt
      ? heartbeat > lastProbeAt
        ? heartbeat
        : lastProbeAt
      : (heartbeat ?? lastProbeAt);
  return {
    serviceName: instance.serviceName,
    serviceId: instance.serviceId,
    address: instance.address,
    port: instance.port,
    status: `HEALTH_STATUS_${instance.status.toUpperCase()}`,
    metadata: { ...instance.metadata },
    registeredAt: toTimestamp(instance.registeredAt),
    lastHealthCheck: toTimestamp(lastCheck),
  };
}

/** A watch message as a proto `WatchEvent`. */
export function toGrpcWatchEvent(message: WatchMessage): GrpcWatchEvent {
  if (message.type === 'snapshot') {
    return {
      type: 'SNAPSHOT',
      index: String(message.index),
      instance: null,
      instances: message.instances.map((instance) => toGrpcInstance(instance)),
      reason: '',
    };
  }
  return {
    type: message.type.toUpperCase() as GrpcWatchEvent['type'],
    index: String(message.index),
    instance: toGrpcInstance(message.instance),
    instances: [],
    reason: message.reason ?? '',
  };
}

function toTimestamp(date: Date | null): GrpcTimestamp | null {
  if (!date) return null;
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
