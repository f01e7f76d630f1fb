import { describe, expect, it } from '@jest/globals';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import {
  decodeIndex,
  decodeWatchMessage,
  decodeWireInstance,
  encodeWireRegistration,
} from './discovery-wire.codec.js';

const wireInstance = {
  serviceName: 'orders',
  serviceId: 'orders-1',
  address: '10.0.0.5',
  port: 8080,
  status: 1,
  metadata: { scheme: 'https', lb_strategy: 'RoundRobin' },
  registeredAt: '2025-01-02T03:04:05.000Z',
  lastHealthCheck: '2025-01-02T03:05:00.000Z',
};

describe('discovery wire codec', () => {
  describe(decodeWireInstance.name, () => {
    it('reads the integer status, dates and the scheme from metadata', () => {
      const instance = decodeWireInstance(wireInstance);
      expect(instance).toEqual({
        serviceName: 'orders',
        serviceId: 'orders-1',
        address: '10.0.0.5',
        port: 8080,
        scheme: 'https',
        status: 'Healthy',
        metadata: { scheme: 'https', lb_strategy: 'RoundRobin' },
        tags: [],
        registeredAt: new Date('2025-01-02T03:04:05.000Z'),
        lastHeartbeatAt: new Date('2025-01-02T03:05:00.000Z'),
      });
    });

    it('falls back to lastHeartbeatAt when lastHealthCheck is absent', () => {
      const { lastHealthCheck: _, ...rest } = wireInstance;
      const instance = decodeWireInstance({ ...rest, lastHeartbeatAt: '2025-01-02T03:06:00.000Z' });
      expect(instance.lastHeartbeatAt).toEqual(new Date('2025-01-02T03:06:00.000Z'));
    });

    it('reads the status by name and a null lastHealthCheck as no heartbeat yet', () => {
      const instance = decodeWireInstance({ ...wireInstance, status: 'Degraded', lastHealthCheck: null });
      expect(instance.status).toBe('Degraded');
      expect(instance.lastHeartbeatAt).toBeNull();
    });

    it('defaults the scheme to http, null metadata to {} and reads tags and a health check', () => {
      const instance = decodeWireInstance({
        ...wireInstance,
        metadata: null,
        tags: ['a', 'b'],
        healthCheck: { endpoint: '/health', interval: '00:00:10', timeout: 2, unhealthyThreshold: 3 },
      });
      expect(instance.scheme).toBe('http');
      expect(instance.metadata).toEqual({});
      expect(instance.tags).toEqual(['a', 'b']);
      expect(instance.healthCheck).toEqual({
        endpoint: '/health',
        intervalMs: 10_000,
        timeoutMs: 2000,
        unhealthyThreshold: 3,
      });
    });

    it.each([
      ['a non-object', 'x'],
      ['a missing serviceId', { ...wireInstance, serviceId: undefined }],
      ['a bad status', { ...wireInstance, status: 9 }],
      ['a bad date', { ...wireInstance, registeredAt: 'yesterday' }],
      ['a non-integer port', { ...wireInstance, port: '80' }],
    ])('throws RegistryUnavailableError for %s', (_, value) => {
      expect(() => decodeWireInstance(value)).toThrow(RegistryUnavailableError);
    });
  });

  describe(encodeWireRegistration.name, () => {
    it("sends health-check intervals as seconds and the port's scheme and ttlMs extensions", () => {
      const body = encodeWireRegistration({
        serviceName: 'orders',
        serviceId: 'orders-1',
        address: 'orders.local',
        port: 443,
        scheme: 'https',
        metadata: { weight: '2' },
        ttlMs: 600,
        healthCheck: { endpoint: '/health', intervalMs: 10_000, timeoutMs: 2500, unhealthyThreshold: 3 },
      });
      expect(body).toEqual({
        serviceName: 'orders',
        serviceId: 'orders-1',
        address: 'orders.local',
        port: 443,
        metadata: { weight: '2' },
        scheme: 'https',
        ttlMs: 600,
        healthCheck: { endpoint: '/health', interval: 10, timeout: 2.5, unhealthyThreshold: 3 },
      });
    });

    it('omits an absent health check, scheme and ttl and sends tags only when given', () => {
      const base = { serviceName: 's', serviceId: 's-1', address: 'h', port: 1 };
      expect(encodeWireRegistration({ ...base, tags: [] })).toEqual({ ...base, metadata: {} });
      expect(encodeWireRegistration({ ...base, tags: ['blue'] }).tags).toEqual(['blue']);
    });
  });

  describe(decodeWatchMessage.name, () => {
    it('reads a snapshot with its instances and index', () => {
      const change = decodeWatchMessage({
        event: 'snapshot',
        lastEventId: '41',
        data: JSON.stringify({ index: 42, instances: [wireInstance] }),
      });
      expect(change).toMatchObject({ type: 'snapshot', index: 42, instances: [{ serviceId: 'orders-1' }] });
    });

    it('reads an event, takes the index from the id when the data has none and keeps the reason', () => {
      const change = decodeWatchMessage({
        event: 'deregister',
        lastEventId: '9',
        data: JSON.stringify({ type: 'deregister', instance: wireInstance, reason: 'expired' }),
      });
      expect(change).toMatchObject({ type: 'deregister', index: 9, reason: 'expired' });
    });

    it('uses the data type when the event has no name, defaults deregister reasons and skips unknown types', () => {
      const untyped = decodeWatchMessage({
        event: 'message',
        lastEventId: '',
        data: JSON.stringify({ type: 'deregister', index: 3, instance: wireInstance }),
      });
      expect(untyped).toMatchObject({ type: 'deregister', index: 3, reason: 'deregistered' });
      expect(decodeWatchMessage({ event: 'resize', lastEventId: '4', data: '{}' })).toBeUndefined();
    });

    it('throws RegistryUnavailableError for data that is not JSON', () => {
      expect(() => decodeWatchMessage({ event: 'register', lastEventId: '1', data: '{oops' })).toThrow(
        RegistryUnavailableError,
      );
    });
  });

  describe(decodeIndex.name, () => {
    it('accepts numbers and digit strings and rejects anything else', () => {
      expect(decodeIndex(5)).toBe(5);
      expect(decodeIndex('17')).toBe(17);
      expect(() => decodeIndex(-1)).toThrow(RegistryUnavailableError);
      expect(() => decodeIndex('')).toThrow(RegistryUnavailableError);
    });
  });
});
