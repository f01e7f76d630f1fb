import { describe, expect, it } from '@jest/globals';
import { createInstance } from '../../instance/service-instance.factory.js';
import { decodeEvent, decodeInstance, decodeRecord, encodeInstance } from './redis-record.codec.js';

const healthCheck = { endpoint: '/health', intervalMs: 5_000, timeoutMs: 1_000, unhealthyThreshold: 2 };
const instance = createInstance(
  {
    serviceName: 'orders',
    serviceId: 'orders-1',
    address: 'orders.internal',
    port: 8443,
    scheme: 'https',
    metadata: { zone: 'eu' },
    tags: [],
    healthCheck,
  },
  new Date('2030-05-01T10:00:00.000Z'),
);

describe('encodeInstance', () => {
  it('round-trips through decodeInstance, dates and empty tags included', () => {
    const { base, status, metadata } = encodeInstance(instance);
    const decoded = decodeInstance(base, status, metadata, '');
    expect(decoded).toEqual(instance);
    expect(decoded.registeredAt).toBeInstanceOf(Date);
    expect(decoded.tags).toEqual([]);
    expect(Object.isFrozen(decoded)).toBe(true);
  });
});

describe('decodeRecord', () => {
  it('reads the heartbeat time from epoch milliseconds', () => {
    const { base, metadata } = encodeInstance(instance);
    const decoded = decodeRecord(['orders', base, 'Degraded', metadata, '1893492000000', '30000', '7']);
    expect(decoded.status).toBe('Degraded');
    expect(decoded.lastHeartbeatAt?.toISOString()).toBe('2030-01-01T10:00:00.000Z');
  });
});

describe('decodeEvent', () => {
  it('parses the JSON a script publishes, index and reason included', () => {
    const { base, status, metadata } = encodeInstance(instance);
    const message = JSON.stringify({
      index: '42',
      type: 'deregister',
      reason: 'expired',
      base,
      status,
      metadata,
      heartbeat: '',
    });
    expect(decodeEvent(message)).toEqual({ type: 'deregister', reason: 'expired', index: 42, instance });
  });

  it('leaves reason out when the script sent none', () => {
    const { base, status, metadata } = encodeInstance(instance);
    const message = JSON.stringify({
      index: '3',
      type: 'register',
      reason: '',
      base,
      status,
      metadata,
      heartbeat: '',
    });
    expect(decodeEvent(message)).not.toHaveProperty('reason');
  });

  it('throws on a message that is not an event', () => {
    expect(() => decodeEvent('{"index":"x"}')).toThrow();
    expect(() => decodeEvent('not json')).toThrow();
  });
});
