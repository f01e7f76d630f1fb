import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { backoffDelayMs, sleep, type ServiceInstance } from '@toskamesh/common';
import {
  RegistryUnavailableError,
  ServiceRegistry,
  type RegistryChange,
  type RegistryEvent,
} from '@toskamesh/registry';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import { EventRing } from './event-ring.js';

/** Receives every change the feed applies (snapshots after a gap included). */
export type FeedListener = (change: RegistryChange) => void;

/** Where a watch client starts: replayed events, or a snapshot when they are no longer held. */
export type FeedStart =
  { kind: 'replay'; events: RegistryEvent[] } | { kind: 'snapshot'; snapshot: FeedSnapshot };

/** The current instances at an index. */
export interface FeedSnapshot {
  index: number;
  instances: ServiceInstance[];
}

/**
 * The discovery service's single subscription to `ServiceRegistry.watch()` (so with the Redis store
 * every replica sees every change), fanned out in-process to watch clients, the tracker and the prober.
 * It keeps the current instances (so a snapshot and the live stream after it are consistent without
 * another registry call) and the last `watch.retainEvents` events for clients resuming by index.
 * A failed watch is re-opened with back-off; the provider then starts with a fresh snapshot.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly listeners = new Set<FeedListener>();
  private readonly instances = new Map<string, ServiceInstance>();
  private readonly ring: EventRing;
  private readonly stop = new AbortController();
  private readonly readyPromise: Promise<void>;
  private markReady!: () => void;
  private current = 0;
  private synced = false;

  constructor(
    private readonly registry: ServiceRegistry,
    @Inject(DISCOVERY_OPTIONS) options: ResolvedDiscoveryOptions,
  ) {
    this.ring = new EventRing(options.watch.retainEvents);
    this.readyPromise = new Promise((resolve) => (this.markReady = resolve));
  }

  onModuleInit(): void {
    void this.follow().catch((error: unknown) => this.logger.error(`Change feed stopped: ${String(error)}`));
  }

  onModuleDestroy(): void {
    this.stop.abort();
    this.markReady();
    this.listeners.clear();
  }

  /** Resolves once the first snapshot arrived (or the feed stopped). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * Waits for the first snapshot at most `timeoutMs` (watch clients need it), then rejects with
   * `RegistryUnavailableError`: the store has not answered since start-up.
   */
  async whenReady(timeoutMs: number): Promise<void> {
    if (this.synced) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    const result = await Promise.race([this.readyPromise.then(() => 'ready' as const), timeout]);
    clearTimeout(timer);
    if (result === 'timeout' || !this.synced) {
      throw new RegistryUnavailableError('discovery', 'the store has not sent its first snapshot yet');
    }
  }

  /** The latest index seen. */
  get index(): number {
    return this.current;
  }

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Current instances (of `serviceName`, or all), sorted by `serviceId`, at the current index. */
  snapshot(serviceName?: string): FeedSnapshot {
    const instances = [...this.instances.values()]
      .filter((instance) => serviceName === undefined || instance.serviceName === serviceName)
      .sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0));
    return { index: this.current, instances };
  }

  /**
   * Where a client that last saw `index` starts: the events after it when all are retained, else a
   * snapshot. An index ahead of the feed (the client saw a previous run of a memory store) also gets one.
   */
  startFrom(index: number | undefined, serviceName?: string): FeedStart {
    const events = index === undefined || index > this.current ? undefined : this.ring.since(index);
    if (!events) return { kind: 'snapshot', snapshot: this.snapshot(serviceName) };
    return {
      kind: 'replay',
      events: events.filter(
        (event) => serviceName === undefined || event.instance.serviceName === serviceName,
      ),
    };
  }

  /** Applies one change from the registry and hands it to every listener. Public for tests. */
  apply(input: RegistryChange): void {
    const change = this.normalise(input);
    if (change.type === 'snapshot') {
      this.instances.clear();
      for (const instance of change.instances) this.instances.set(instance.serviceId, instance);
      // Events between the last one seen and this snapshot are unknown: replays must not cross it.
      this.ring.reset(change.index);
    } else {
      if (change.type === 'deregister') this.instances.delete(change.instance.serviceId);
      else this.instances.set(change.instance.serviceId, change.instance);
      this.ring.push(change);
    }
    this.current = change.index;
    if (!this.synced) {
      this.synced = true;
      this.markReady();
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`A change-feed listener failed: ${String(error)}`);
      }
    }
  }

  /** Indexes must grow for resuming clients; a provider that repeats one gets the next number. */
  private normalise(change: RegistryChange): RegistryChange {
    if (change.type === 'snapshot') return { ...change, index: Math.max(this.current, change.index) };
    return change.index > this.current ? change : { ...change, index: this.current + 1 };
  }

  private async follow(): Promise<void> {
    const { signal } = this.stop;
    for (let attempt = 0; !signal.aborted; attempt += 1) {
      try {
        for await (const change of this.registry.watch(undefined, { signal })) {
          attempt = 0;
          this.apply(change);
        }
      } catch (error) {
        this.logger.warn(`Registry watch failed, re-opening it: ${String(error)}`);
      }
      if (signal.aborted) return;
      await sleep(backoffDelayMs(attempt, { initialMs: 200, maxMs: 5000 }), signal).catch(() => undefined);
    }
  }
}
