import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ServiceInstance } from '@toskamesh/common';
import type { RegistryChange, RegistryEvent } from '@toskamesh/registry';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import { WatchCapacityError } from '../errors/watch-capacity.error.js';
import { ChangeFeed } from './change-feed.service.js';

/** One message to a watch client: the current instances, or one change. */
export type WatchMessage = { type: 'snapshot'; index: number; instances: ServiceInstance[] } | RegistryEvent;

/** A connected watch client (an SSE response, a gRPC stream). */
export interface WatchSink {
  /** Delivers one message; a sink that cannot keep up closes itself. */
  send(message: WatchMessage): void;
  /** Keeps an idle connection open (SSE comment line); called every `watch.heartbeatMs`. */
  heartbeat?(): void;
  /** The service is shutting down: end the connection. */
  close(): void;
}

/** What a client watches and where it resumes. */
export interface WatchRequest {
  /** Only this service's instances; all when absent. */
  serviceName?: string;
  /** The last index the client saw (`index` / `Last-Event-ID`); a snapshot comes first when absent. */
  index?: number;
}

/**
 * Connects watch clients to the {@link ChangeFeed}: each gets a snapshot (or the events it missed),
 * then the live changes of its service. One heartbeat timer serves every client; at most
 * `watch.maxClients` are connected at once.
 */
@Injectable()
export class WatchHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WatchHub.name);
  private readonly sinks = new Set<WatchSink>();
  private heartbeatTimer?: NodeJS.Timeout;

  constructor(
    private readonly feed: ChangeFeed,
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
  ) {}

  onModuleInit(): void {
    this.heartbeatTimer = setInterval(() => this.beat(), this.options.watch.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeatTimer);
    for (const sink of [...this.sinks]) this.safely(() => sink.close());
    this.sinks.clear();
  }

  /** Connected clients. */
  get clients(): number {
    return this.sinks.size;
  }

  /** Throws {@link WatchCapacityError} when no further client may connect. */
  assertCapacity(): void {
    if (this.sinks.size >= this.options.watch.maxClients)
      throw new WatchCapacityError(this.options.watch.maxClients);
  }

  /**
   * Starts delivering to `sink` (synchronously: the first message is sent before this returns) and
   * returns the function that disconnects it. Throws {@link WatchCapacityError} when full.
   */
  open(sink: WatchSink, request: WatchRequest): () => void {
    this.assertCapacity();
    const { serviceName } = request;
    const start = this.feed.startFrom(request.index, serviceName);
    if (start.kind === 'snapshot') sink.send({ type: 'snapshot', ...start.snapshot });
    else for (const event of start.events) sink.send(event);
    // Subscribing in the same tick as the snapshot: no change can fall between the two.
    const unsubscribe = this.feed.subscribe((change) => this.forward(sink, change, serviceName));
    this.sinks.add(sink);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      unsubscribe();
      this.sinks.delete(sink);
    };
  }

  private forward(sink: WatchSink, change: RegistryChange, serviceName: string | undefined): void {
    if (change.type === 'snapshot') {
      this.safely(() => sink.send({ type: 'snapshot', ...this.feed.snapshot(serviceName) }));
    } else if (serviceName === undefined || change.instance.serviceName === serviceName) {
      this.safely(() => sink.send(change));
    }
  }

  private beat(): void {
    for (const sink of [...this.sinks]) this.safely(() => sink.heartbeat?.());
  }

  private safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.warn(`A watch client failed: ${String(error)}`);
    }
  }
}
