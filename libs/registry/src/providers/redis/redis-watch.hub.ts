import type { Logger } from '@nestjs/common';
import { backoffDelayMs, sleep } from '@toskamesh/common';
import type { Redis } from 'ioredis';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import type { RegistryChange, RegistryEvent, RegistrySnapshot } from '../../registry-change.js';
import type { RedisRegistryOptions } from '../../registry-options.js';
import { ChangeQueue } from '../../watch/change-queue.js';
import { closeRedisClient, createRedisClient, redisCall } from './redis-client.factory.js';
import { decodeEvent } from './redis-record.codec.js';

/** Events held for a watcher while its snapshot is read; past this the resync starts over. */
const MAX_HELD = 10_000;

interface Watcher {
  readonly serviceName: string | undefined;
  readonly queue: ChangeQueue<RegistryChange>;
  readonly stop: AbortController;
  lastIndex: number;
  /** Events that arrived while a snapshot was being read: replayed after it when newer. */
  held: RegistryEvent[] | undefined;
  generation: number;
}

/**
 * Fans the `<prefix>:events` channel out to watchers over one subscriber connection per registry.
 * A watcher subscribes first, then reads a snapshot, then gets only events newer than the snapshot's
 * index: nothing between the two is lost or repeated. After the subscriber reconnects (pub/sub drops
 * messages while down) every watcher resyncs with a fresh snapshot.
 */
export class RedisWatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private disconnected = false;
  private closed = false;

  constructor(
    private readonly options: Required<RedisRegistryOptions>,
    private readonly takeSnapshot: (serviceName: string | undefined) => Promise<RegistrySnapshot>,
    private readonly logger: Logger,
  ) {
    this.channel = `${options.keyPrefix}:events`;
  }

  /** Starts a watch; its first item is the snapshot, read in the background. */
  open(serviceName: string | undefined, signal: AbortSignal | undefined): AsyncIterable<RegistryChange> {
    const watcher: Watcher = {
      serviceName,
      queue: new ChangeQueue({ onOverflow: () => this.resync(watcher) }),
      stop: new AbortController(),
      lastIndex: -1,
      held: [],
      generation: 0,
    };
    if (this.closed) {
      watcher.queue.close();
      return watcher.queue;
    }
    this.watchers.add(watcher);
    watcher.queue.onClose(() => {
      this.watchers.delete(watcher);
      watcher.stop.abort();
    });
    watcher.queue.closeOn(signal);
    this.resync(watcher);
    return watcher.queue;
  }

  /** Ends every watch and closes the subscriber connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const watcher of [...this.watchers]) watcher.queue.close();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await closeRedisClient(subscriber);
  }

  private resync(watcher: Watcher): void {
    watcher.generation += 1;
    watcher.held = [];
    void this.syncLoop(watcher, watcher.generation);
  }

  /** Retries (with back-off) until a snapshot is delivered, the watch ends or a newer resync starts. */
  private async syncLoop(watcher: Watcher, generation: number): Promise<void> {
    const current = () => watcher.generation === generation && !watcher.queue.closed;
    for (let attempt = 1; current(); attempt += 1) {
      try {
        await this.subscribe();
        const snapshot = await this.takeSnapshot(watcher.serviceName);
        if (!current()) return;
        this.deliverSnapshot(watcher, snapshot);
        return;
      } catch (error) {
        if (!current()) return;
        if (attempt === 1) this.logger.warn(`Registry watch resync failed, retrying: ${String(error)}`);
        await sleep(backoffDelayMs(attempt - 1, { initialMs: 100, maxMs: 5_000 }), watcher.stop.signal).catch(
          () => undefined,
        );
      }
    }
  }

  private deliverSnapshot(watcher: Watcher, snapshot: RegistrySnapshot): void {
    const held = watcher.held ?? [];
    watcher.held = undefined;
    watcher.queue.clear();
    watcher.queue.push(snapshot);
    watcher.lastIndex = snapshot.index;
    for (const event of held) this.deliver(watcher, event);
  }

  private deliver(watcher: Watcher, event: RegistryEvent): void {
    if (watcher.serviceName !== undefined && event.instance.serviceName !== watcher.serviceName) return;
    if (watcher.held) {
      watcher.held.push(event);
      if (watcher.held.length > MAX_HELD) this.resync(watcher);
      return;
    }
    // Older events are already in the snapshot (or were delivered): dropping them avoids duplicates.
    if (event.index <= watcher.lastIndex) return;
    watcher.lastIndex = event.index;
    watcher.queue.push(event);
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let event: RegistryEvent;
    try {
      event = decodeEvent(message);
    } catch (error) {
      this.logger.warn(`Ignoring a malformed registry event on ${channel}: ${String(error)}`);
      return;
    }
    for (const watcher of [...this.watchers]) this.deliver(watcher, event);
  }

  /** Subscribes (idempotent): the reply proves the subscription is active before a snapshot is read. */
  private async subscribe(): Promise<void> {
    if (this.closed) throw new RegistryUnavailableError('redis', 'the registry is closed');
    const subscriber = this.subscriber ?? this.connect();
    await redisCall('SUBSCRIBE', () => subscriber.subscribe(this.channel));
  }

  private connect(): Redis {
    const subscriber = createRedisClient(this.options, 'events', this.logger);
    subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    subscriber.on('close', () => {
      this.disconnected = true;
    });
    subscriber.on('ready', () => {
      if (!this.disconnected) return;
      this.disconnected = false;
      for (const watcher of this.watchers) this.resync(watcher);
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
