import type { HealthCheckConfig, HealthStatus, ServiceInstance } from '@toskamesh/common';
import { freezeInstance } from '../../instance/service-instance.factory.js';
import type { RegistryEvent } from '../../registry-change.js';

/** The fields of an instance that never change after registration, stored as JSON in `base`. */
interface BaseFields {
  serviceName: string;
  serviceId: string;
  address: string;
  port: number;
  scheme: string;
  tags: string[];
  registeredAt: number;
  healthCheck?: HealthCheckConfig;
}

/** The hash fields a script returns, in `HMGET` order: name, base, status, metadata, heartbeat, ttl, rev. */
export type RecordFields = [string, string, string, string, string, string?, string?];

/** What `register` writes: the `base`, `status` and `metadata` hash fields of a new instance. */
export function encodeInstance(instance: ServiceInstance): {
  base: string;
  status: string;
  metadata: string;
} {
  const base: BaseFields = {
    serviceName: instance.serviceName,
    serviceId: instance.serviceId,
    address: instance.address,
    port: instance.port,
    scheme: instance.scheme,
    tags: [...instance.tags],
    registeredAt: instance.registeredAt.getTime(),
    ...(instance.healthCheck ? { healthCheck: instance.healthCheck } : {}),
  };
  return { base: JSON.stringify(base), status: instance.status, metadata: JSON.stringify(instance.metadata) };
}

/** Rebuilds an instance from its stored parts. */
export function decodeInstance(
  base: string,
  status: string,
  metadata: string,
  heartbeat: string,
): ServiceInstance {
  const fields = JSON.parse(base) as BaseFields;
  return freezeInstance({
    serviceName: fields.serviceName,
    serviceId: fields.serviceId,
    address: fields.address,
    port: fields.port,
    scheme: fields.scheme,
    status: status as HealthStatus,
    metadata: JSON.parse(metadata) as Record<string, string>,
    tags: fields.tags,
    registeredAt: new Date(fields.registeredAt),
    lastHeartbeatAt: heartbeat ? new Date(Number(heartbeat)) : null,
    ...(fields.healthCheck ? { healthCheck: fields.healthCheck } : {}),
  });
}

/** Rebuilds an instance from the fields a script returned. */
export function decodeRecord(fields: RecordFields): ServiceInstance {
  return decodeInstance(fields[1], fields[2], fields[3], fields[4]);
}

interface WireEvent {
  index: string;
  type: RegistryEvent['type'];
  reason: string;
  base: string;
  status: string;
  metadata: string;
  heartbeat: string;
}

/** Parses a message of the `<prefix>:events` channel. Throws on a malformed message. */
export function decodeEvent(message: string): RegistryEvent {
  const wire = JSON.parse(message) as WireEvent;
  const instance = decodeInstance(wire.base, wire.status, wire.metadata, wire.heartbeat);
  const index = Number(wire.index);
  if (!Number.isSafeInteger(index)) throw new Error(`bad index ${JSON.stringify(wire.index)}`);
  const reason = wire.reason === 'expired' || wire.reason === 'deregistered' ? wire.reason : undefined;
  return { type: wire.type, instance, index, ...(reason ? { reason } : {}) };
}
