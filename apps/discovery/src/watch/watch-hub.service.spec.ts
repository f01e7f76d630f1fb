import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import type { ServiceRegistry } from '@toskamesh/registry';
import { resolveDiscoveryOptions } from '../config/resolve-discovery-options.js';
import { WatchCapacityError } from '../errors/watch-capacity.error.js';
import { ChangeFeed } from './change-feed.service.js';
import { WatchHub, type WatchMessage, type WatchSink } from './watch-hub.service.js';

function instance(serviceId: string, serviceName = 'orders'): ServiceInstance {
  return {
    serviceName,
    serviceId,
    address: '10.0.0.1',
    port: 80,
    scheme: 'http',
    status: 'Healthy',
    metadata: {},
    tags: [],
    registeredAt: new Date(0),
    lastHeartbeatAt: null,
  };
}

class RecordingSink implements WatchSink {
  readonly messages: WatchMessage[] = [];
  heartbeats = 0;
  closed = false;
  send(message: WatchMessage): void {
    this.messages.push(message);
  }
  heartbeat(): void {
    this.heartbeats += 1;
  }
  close(): void {
    this.closed = true;
  }
}

describe(WatchHub.name, () => {
  let feed: ChangeFeed;
  let hub: WatchHub;

  beforeEach(() => {
    jest.useFakeTimers();
    const options = resolveDiscoveryOptions({ watch: { heartbeatMs: 15_000, maxClients: 2 } });
    // The feed is driven through apply(); its registry is never called.
    feed = new ChangeFeed({} as ServiceRegistry, options);
    hub = new WatchHub(feed, options);
    hub.onModuleInit();
    feed.apply({ type: 'snapshot', index: 3, instances: [instance('a'), instance('b', 'billing')] });
  });

  afterEach(() => {
    hub.onModuleDestroy();
    jest.useRealTimers();
  });

  describe('open', () => {
    it('sends the filtered snapshot at once, then only changes of the service', () => {
      const sink = new RecordingSink();
      hub.open(sink, { serviceName: 'orders' });
      feed.apply({ type: 'register', index: 4, instance: instance('x', 'billing') });
      feed.apply({ type: 'register', index: 5, instance: instance('c') });
      expect(sink.messages).toEqual([
        { type: 'snapshot', index: 3, instances: [instance('a')] },
        expect.objectContaining({ type: 'register', index: 5 }),
      ]);
    });

    it('replays the events after a retained index instead of a snapshot', () => {
      feed.apply({ type: 'register', index: 4, instance: instance('c') });
      const sink = new RecordingSink();
      hub.open(sink, { index: 3 });
      expect(sink.messages).toEqual([expect.objectContaining({ type: 'register', index: 4 })]);
    });

    it('forwards a resync snapshot of the feed as a fresh snapshot of the service', () => {
      const sink = new RecordingSink();
      hub.open(sink, { serviceName: 'billing' });
      feed.apply({ type: 'snapshot', index: 10, instances: [instance('z', 'billing'), instance('y')] });
      expect(sink.messages.at(-1)).toEqual({
        type: 'snapshot',
        index: 10,
        instances: [instance('z', 'billing')],
      });
    });

    it('refuses clients past maxClients and frees a slot when one disconnects', () => {
      const close = hub.open(new RecordingSink(), {});
      hub.open(new RecordingSink(), {});
      expect(() => hub.open(new RecordingSink(), {})).toThrow(WatchCapacityError);
      close();
      close();
      expect(hub.clients).toBe(1);
      const late = new RecordingSink();
      hub.open(late, {});
      feed.apply({ type: 'register', index: 4, instance: instance('c') });
      expect(late.messages).toHaveLength(2);
    });

    it('stops delivering to a disconnected client', () => {
      const sink = new RecordingSink();
      const close = hub.open(sink, {});
      close();
      feed.apply({ type: 'register', index: 4, instance: instance('c') });
      expect(sink.messages).toHaveLength(1);
    });
  });

  describe('onModuleInit', () => {
    it('sends a heartbeat to every client each heartbeatMs with one timer', () => {
      const sinks = [new RecordingSink(), new RecordingSink()];
      for (const sink of sinks) hub.open(sink, {});
      jest.advanceTimersByTime(45_000);
      expect(sinks.map((sink) => sink.heartbeats)).toEqual([3, 3]);
    });
  });

  describe('onModuleDestroy', () => {
    it('closes every client and stops the heartbeat timer', () => {
      const sink = new RecordingSink();
      hub.open(sink, {});
      hub.onModuleDestroy();
      expect(sink.closed).toBe(true);
      expect(hub.clients).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
