import {
  parseHealthStatus,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import { checkedMetadataMerge } from '../../instance/metadata.merge.js';
import { prepareRegistration } from '../../instance/registration.prepare.js';
import {
  byServiceId,
  compareOrdinal,
  createInstance,
  freezeInstance,
} from '../../instance/service-instance.factory.js';
import type { RegistryChange, RegistryEvent, RegistrySnapshot } from '../../registry-change.js';
import type { MemoryRegistryOptions } from '../../registry-options.js';
import { resolveMemoryOptions } from '../../registry-options.validation.js';
import { ServiceRegistry, type InstanceQuery, type WatchOptions } from '../../service-registry.js';
import { ChangeQueue } from '../../watch/change-queue.js';
import { RegistryEventBus } from '../../watch/registry-event-bus.js';

interface Entry {
  instance: ServiceInstance;
  ttlMs: number;
  expiresAt: number;
}

/**
 * In-process registry for tests, single-process apps and the discovery service's default store.
 * Instances whose TTL lapsed are removed (and announced as `deregister`/`expired`) by a sweep timer
 * and, so reads never return them, lazily before every operation.
 */
export class MemoryServiceRegistry extends ServiceRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly bus = new RegistryEventBus();
  private readonly watchers = new Set<ChangeQueue<RegistryChange>>();
  private readonly sweepTimer: NodeJS.Timeout;
  private index = 0;
  private closed = false;

  constructor(options: MemoryRegistryOptions = {}) {
    super();
    const { sweepIntervalMs } = resolveMemoryOptions(options);
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweepTimer.unref();
  }

  override register(input: ServiceRegistration): Promise<ServiceInstance> {
    return this.run(() => {
      const { registration, ttlMs } = prepareRegistration(input);
      const previous = this.entries.get(registration.serviceId);
      // Moving an id to another service: watchers of the old one must see it leave.
      if (previous && previous.instance.serviceName !== registration.serviceName) {
        this.remove(previous, 'deregistered');
      }
      const now = Date.now();
      const instance = createInstance(registration, new Date(now));
      this.entries.set(registration.serviceId, { instance, ttlMs, expiresAt: now + ttlMs });
      this.emit('register', instance);
      return instance;
    });
  }

  override deregister(serviceId: string): Promise<boolean> {
    return this.run(() => {
      const entry = this.entries.get(serviceId);
      if (entry) this.remove(entry, 'deregistered');
      return entry !== undefined;
    });
  }

  override heartbeat(serviceId: string, status?: HealthStatus): Promise<void> {
    return this.run(() => {
      const entry = this.live(serviceId);
      const next = status === undefined ? undefined : parseHealthStatus(status);
      const now = Date.now();
      entry.expiresAt = now + entry.ttlMs;
      const changed = next !== undefined && next !== entry.instance.status;
      entry.instance = freezeInstance({
        ...entry.instance,
        lastHeartbeatAt: new Date(now),
        status: next ?? entry.instance.status,
      });
      if (changed) this.emit('health', entry.instance);
    });
  }

  override updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance> {
    return this.run(() => {
      const entry = this.live(serviceId);
      const merged = checkedMetadataMerge(entry.instance.metadata, metadata);
      entry.instance = freezeInstance({ ...entry.instance, metadata: merged });
      this.emit('metadata', entry.instance);
      return entry.instance;
    });
  }

  override instance(serviceId: string): Promise<ServiceInstance | undefined> {
    return this.run(() => this.entries.get(serviceId)?.instance);
  }

  override services(): Promise<string[]> {
    return this.run(() => {
      const names = new Set([...this.entries.values()].map((entry) => entry.instance.serviceName));
      return [...names].sort(compareOrdinal);
    });
  }

  override instances(serviceName: string, query: InstanceQuery = {}): Promise<ServiceInstance[]> {
    return this.run(() =>
      this.select(serviceName).filter((instance) => !query.healthyOnly || instance.status === 'Healthy'),
    );
  }

  override watch(serviceName?: string, options: WatchOptions = {}): AsyncIterable<RegistryChange> {
    const queue: ChangeQueue<RegistryChange> = new ChangeQueue({
      onOverflow: () => queue.push(this.snapshot(serviceName)),
    });
    if (this.closed) {
      queue.close();
      return queue;
    }
    this.sweep();
    const unsubscribe = this.bus.subscribe((event) => {
      if (serviceName === undefined || event.instance.serviceName === serviceName) queue.push(event);
    });
    this.watchers.add(queue);
    queue.onClose(() => {
      unsubscribe();
      this.watchers.delete(queue);
    });
    queue.push(this.snapshot(serviceName));
    queue.closeOn(options.signal);
    return queue;
  }

  /** Stops the sweep timer and ends every watch. Safe to call twice. */
  override close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    for (const queue of [...this.watchers]) queue.close();
    return Promise.resolve();
  }

  /** Removes every instance whose TTL lapsed and announces each as `deregister` / `expired`. */
  private sweep(now = Date.now()): number {
    let removed = 0;
    for (const entry of [...this.entries.values()]) {
      if (entry.expiresAt <= now) {
        this.remove(entry, 'expired');
        removed += 1;
      }
    }
    return removed;
  }

  /** Sweeps first so no operation sees an instance whose TTL lapsed between two timer ticks. */
  private run<T>(operation: () => T): Promise<T> {
    try {
      this.sweep();
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private live(serviceId: string): Entry {
    const entry = this.entries.get(serviceId);
    if (!entry) throw new ServiceNotRegisteredError(serviceId);
    return entry;
  }

  private select(serviceName: string | undefined): ServiceInstance[] {
    return [...this.entries.values()]
      .map((entry) => entry.instance)
      .filter((instance) => serviceName === undefined || instance.serviceName === serviceName)
      .sort(byServiceId);
  }

  private snapshot(serviceName: string | undefined): RegistrySnapshot {
    return { type: 'snapshot', instances: this.select(serviceName), index: this.index };
  }

  private remove(entry: Entry, reason: 'deregistered' | 'expired'): void {
    this.entries.delete(entry.instance.serviceId);
    this.emit('deregister', entry.instance, reason);
  }

  private emit(
    type: RegistryEvent['type'],
    instance: ServiceInstance,
    reason?: RegistryEvent['reason'],
  ): void {
    this.index += 1;
    const event: RegistryEvent = { type, instance, index: this.index, ...(reason ? { reason } : {}) };
    this.bus.publish(event);
  }
}
