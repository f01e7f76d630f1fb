import { healthStatusToCode, type HealthStatus } from '@toskamesh/common';
import { isoOrNull } from '../http/instance-json.js';

/** What the tracker remembers of one instance, also after it left. */
export interface TrackingRecord {
  serviceId: string;
  serviceName: string;
  registeredAt: Date;
  deregisteredAt: Date | null;
  /** Why it left: asked to (`deregistered`) or TTL lapsed (`expired`). */
  deregisterReason: 'deregistered' | 'expired' | null;
  lastUpdated: Date;
  status: HealthStatus;
  /** Last probe, reported health or heartbeat. */
  lastHealthCheck: Date | null;
  /** Output of the last probe or health report (`HTTP 503`, an error message). */
  lastHealthOutput: string | null;
  metadata: Record<string, string>;
}

/** The contract's `ServiceInstanceTrackingSnapshot` JSON (status as the original's integer). */
export interface TrackingSnapshotJson {
  serviceId: string;
  serviceName: string;
  registeredAt: string | null;
  deregisteredAt: string | null;
  lastUpdated: string | null;
  status: number;
  lastHealthCheck: string | null;
  metadata: Record<string, string>;
  deregisterReason: string | null;
  lastHealthOutput: string | null;
}

/** Maps a record to its wire form. */
export function toTrackingJson(record: TrackingRecord): TrackingSnapshotJson {
  return {
    serviceId: record.serviceId,
    serviceName: record.serviceName,
    registeredAt: isoOrNull(record.registeredAt),
    deregisteredAt: isoOrNull(record.deregisteredAt),
    lastUpdated: isoOrNull(record.lastUpdated),
    status: healthStatusToCode(record.status),
    lastHealthCheck: isoOrNull(record.lastHealthCheck),
    metadata: { ...record.metadata },
    deregisterReason: record.deregisterReason,
    lastHealthOutput: record.lastHealthOutput,
  };
}
