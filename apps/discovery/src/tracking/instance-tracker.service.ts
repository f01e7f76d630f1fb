import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { HealthStatus, ServiceInstance } from '@toskamesh/common';
import type { RegistryChange } from '@toskamesh/registry';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { latest } from '../http/instance-json.js';
import { ChangeFeed } from '../watch/change-feed.service.js';
import type { TrackingRecord } from './tracking-record.js';

const PRUNE_EVERY_MS = 1000;

/**
 * Lifecycle records of every instance this process has seen: registered, health changes, metadata,
 * and when it left. Unlike the .NET original (a Scoped service that forgot everything after each
 * request) the records live for the whole process; deregistered ones are kept for
 * `tracking.retainDeregisteredMs` and the total is capped at `tracking.maxEntries`.
 *
 * It follows the registry's change feed (so changes made through other replicas or by TTL expiry are
 * seen) and is also told directly by this process's edges, so a read right after a write agrees.
 */
@Injectable()
export class InstanceTracker implements OnModuleInit, OnModuleDestroy {
  private readonly records = new Map<string, TrackingRecord>();
  private unsubscribe?: () => void;
  private lastPruneAt = 0;

  constructor(
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
    private readonly feed: ChangeFeed,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.feed.subscribe((change) => this.observe(change));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Applies one change of the registry's feed. */
  observe(change: RegistryChange): void {
    if (change.type === 'snapshot') {
      const live = new Set(change.instances.map((instance) => instance.serviceId));
      for (const instance of change.instances) this.upsert(instance, false);
      // A resync snapshot after a gap: whoever is missing left while we were not listening.
      for (const record of this.records.values()) {
        if (!live.has(record.serviceId) && !record.deregisteredAt) this.markGone(record, 'deregistered');
      }
    } else if (change.type === 'register') this.registered(change.instance);
    else if (change.type === 'deregister')
      this.deregistered(change.instance, change.reason ?? 'deregistered');
    else this.updated(change.instance);
    this.prune();
  }

  /** A (re-)registration: a fresh record, `deregisteredAt` cleared. */
  registered(instance: ServiceInstance): void {
    this.upsert(instance, true);
  }

  /** Status or metadata of a live instance changed. */
  updated(instance: ServiceInstance): void {
    this.upsert(instance, false);
  }

  /** The instance left (asked to, or its TTL lapsed). */
  deregistered(instance: ServiceInstance, reason: 'deregistered' | 'expired' = 'deregistered'): void {
    const record = this.records.get(instance.serviceId) ?? this.upsert(instance, true);
    if (!record.deregisteredAt) this.markGone(record, reason);
  }

  /** A probe ran, a health status was reported, or a heartbeat arrived. */
  healthChecked(serviceId: string, status: HealthStatus | undefined, output: string | null = null): void {
    const record = this.records.get(serviceId);
    if (!record) return;
    const now = new Date();
    record.lastHealthCheck = now;
    record.lastHealthOutput = output;
    if (status && status !== record.status) {
      record.status = status;
      record.lastUpdated = now;
    }
  }

  /** The record of `serviceId`, live or left. */
  get(serviceId: string): TrackingRecord | undefined {
    this.prune();
    return this.records.get(serviceId);
  }

  /** Records of `serviceName`, sorted by `serviceId`. */
  forService(serviceName: string): TrackingRecord[] {
    this.prune();
    return [...this.records.values()]
      .filter((record) => record.serviceName === serviceName)
      .sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0));
  }

  /** Time of the last probe of `serviceId`, for an instance's `lastHealthCheck`. */
  lastHealthCheck(serviceId: string): Date | null {
    return this.records.get(serviceId)?.lastHealthCheck ?? null;
  }

  /** Number of records (for tests and diagnostics). */
  get size(): number {
    return this.records.size;
  }

  private upsert(instance: ServiceInstance, fresh: boolean): TrackingRecord {
    const existing = this.records.get(instance.serviceId);
    const now = new Date();
    if (existing && !fresh && !existing.deregisteredAt) {
      existing.serviceName = instance.serviceName;
      existing.status = instance.status;
      existing.metadata = { ...instance.metadata };
      existing.lastUpdated = now;
      existing.lastHealthCheck = latest(existing.lastHealthCheck, instance.lastHeartbeatAt);
      return existing;
    }
    const record: TrackingRecord = {
      serviceId: instance.serviceId,
      serviceName: instance.serviceName,
      registeredAt: instance.registeredAt,
      deregisteredAt: null,
      deregisterReason: null,
      lastUpdated: now,
      status: instance.status,
      lastHealthCheck: instance.lastHeartbeatAt,
      lastHealthOutput: null,
      metadata: { ...instance.metadata },
    };
    // Re-inserting moves the id to the end of the Map's order, which `prune` reads as "newest".
    this.records.delete(instance.serviceId);
    this.records.set(instance.serviceId, record);
    this.prune();
    return record;
  }

  private markGone(record: TrackingRecord, reason: 'deregistered' | 'expired'): void {
    const now = new Date();
    record.deregisteredAt = now;
    record.deregisterReason = reason;
    record.lastUpdated = now;
  }

  /** Drops records that left too long ago, then the oldest left ones, then the oldest ones, past the cap. */
  private prune(): void {
    const now = Date.now();
    // A full scan per change would cost O(n) each; once a second is plenty unless over the cap.
    if (now - this.lastPruneAt < PRUNE_EVERY_MS && this.records.size <= this.options.tracking.maxEntries)
      return;
    this.lastPruneAt = now;
    const cutoff = now - this.options.tracking.retainDeregisteredMs;
    for (const [id, record] of this.records) {
      if (record.deregisteredAt && record.deregisteredAt.getTime() <= cutoff) this.records.delete(id);
    }
    const excess = this.records.size - this.options.tracking.maxEntries;
    if (excess <= 0) return;
    const gone = [...this.records.values()].filter((record) => record.deregisteredAt);
    const victims = [...gone, ...[...this.records.values()].filter((record) => !record.deregisteredAt)];
    for (const record of victims.slice(0, excess)) this.records.delete(record.serviceId);
  }
}
