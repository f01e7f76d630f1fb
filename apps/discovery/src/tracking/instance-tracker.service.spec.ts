import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import type { ServiceRegistry } from '@toskamesh/registry';
import { resolveDiscoveryOptions } from '../config/resolve-discovery-options.js';
import { ChangeFeed } from '../watch/change-feed.service.js';
import { InstanceTracker } from './instance-tracker.service.js';

function instance(serviceId: string, overrides: Partial<ServiceInstance> = {}): ServiceInstance {
  return {
    serviceName: 'orders',
    serviceId,
    address: '10.0.0.1',
    port: 80,
    scheme: 'http',
    status: 'Healthy',
    metadata: { v: '1' },
    tags: [],
    registeredAt: new Date('2030-01-01T00:00:00Z'),
    lastHeartbeatAt: null,
    ...overrides,
  };
}

describe(InstanceTracker.name, () => {
  let tracker: InstanceTracker;
  let feed: ChangeFeed;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const options = resolveDiscoveryOptions({ tracking: { retainDeregisteredMs: 60_000, maxEntries: 3 } });
    feed = new ChangeFeed({} as ServiceRegistry, options);
    tracker = new InstanceTracker(options, feed);
    tracker.onModuleInit();
  });

  afterEach(() => {
    tracker.onModuleDestroy();
    jest.useRealTimers();
  });

  describe('observe', () => {
    it('follows register, health, metadata and an expiry from the feed', () => {
      feed.apply({ type: 'snapshot', index: 0, instances: [] });
      feed.apply({ type: 'register', index: 1, instance: instance('a') });
      feed.apply({ type: 'health', index: 2, instance: instance('a', { status: 'Unhealthy' }) });
      feed.apply({
        type: 'metadata',
        index: 3,
        instance: instance('a', { status: 'Unhealthy', metadata: { v: '2' } }),
      });
      jest.advanceTimersByTime(1000);
      feed.apply({ type: 'deregister', index: 4, reason: 'expired', instance: instance('a') });
      expect(tracker.get('a')).toMatchObject({
        status: 'Unhealthy',
        metadata: { v: '2' },
        registeredAt: new Date('2030-01-01T00:00:00Z'),
        deregisteredAt: new Date('2030-01-01T00:00:01Z'),
        deregisterReason: 'expired',
      });
    });

    it('marks instances missing from a resync snapshot as gone', () => {
      feed.apply({ type: 'snapshot', index: 0, instances: [instance('a'), instance('b')] });
      feed.apply({ type: 'snapshot', index: 9, instances: [instance('b')] });
      expect(tracker.get('a')?.deregisteredAt).toEqual(expect.any(Date));
      expect(tracker.get('b')?.deregisteredAt).toBeNull();
    });
  });

  describe('registered', () => {
    it('starts a fresh record on re-registration, clearing deregisteredAt', () => {
      tracker.registered(instance('a'));
      tracker.deregistered(instance('a'));
      tracker.registered(instance('a', { registeredAt: new Date('2030-01-02T00:00:00Z') }));
      expect(tracker.get('a')).toMatchObject({
        deregisteredAt: null,
        registeredAt: new Date('2030-01-02T00:00:00Z'),
      });
    });
  });

  describe('healthChecked', () => {
    it('records the time, output and a changed status', () => {
      tracker.registered(instance('a'));
      jest.advanceTimersByTime(5000);
      tracker.healthChecked('a', 'Degraded', 'HTTP 200 slow');
      expect(tracker.get('a')).toMatchObject({
        status: 'Degraded',
        lastHealthCheck: new Date('2030-01-01T00:00:05Z'),
        lastHealthOutput: 'HTTP 200 slow',
      });
      expect(tracker.lastHealthCheck('zzz')).toBeNull();
    });
  });

  describe('get', () => {
    it('forgets deregistered records after retainDeregisteredMs, never live ones', () => {
      tracker.registered(instance('live'));
      tracker.registered(instance('gone'));
      tracker.deregistered(instance('gone'));
      jest.advanceTimersByTime(61_000);
      expect(tracker.get('gone')).toBeUndefined();
      expect(tracker.get('live')).toBeDefined();
    });

    it('caps the records at maxEntries, dropping the oldest deregistered first', () => {
      tracker.registered(instance('a'));
      tracker.registered(instance('b'));
      tracker.deregistered(instance('b'));
      tracker.registered(instance('c'));
      tracker.registered(instance('d'));
      expect(tracker.size).toBe(3);
      expect(tracker.get('b')).toBeUndefined();
      expect(tracker.forService('orders').map((r) => r.serviceId)).toEqual(['a', 'c', 'd']);
    });
  });
});
