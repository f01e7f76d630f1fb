import { describe, expect, it } from '@jest/globals';
import { MeshValidationError, type ServiceInstance } from '@toskamesh/common';
import { registrationFromGrpc, statusFromGrpc, toGrpcInstance, toGrpcWatchEvent } from './grpc-mapping.js';

const instance: ServiceInstance = {
  serviceName: 'orders',
  serviceId: 'orders-1',
  address: '10.0.0.1',
  port: 80,
  scheme: 'http',
  status: 'Degraded',
  metadata: { a: 'b' },
  tags: [],
  registeredAt: new Date(1_700_000_000_250),
  lastHeartbeatAt: null,
};

describe(registrationFromGrpc.name, () => {
  it('replaces an unspecified address by the remote peer and applies the original health-check defaults', () => {
    const registration = registrationFromGrpc(
      {
        serviceName: 'orders',
        serviceId: '',
        address: '0.0.0.0',
        port: 8080,
        metadata: {},
        healthCheck: { endpoint: '', intervalSeconds: 0, timeoutSeconds: 0, unhealthyThreshold: -2 },
      },
      '10.9.8.7',
      4000,
    );
    expect(registration).toMatchObject({
      address: '10.9.8.7',
      healthCheck: { endpoint: '/health', intervalMs: 10_000, timeoutMs: 4000, unhealthyThreshold: 3 },
    });
    expect(registration.serviceId).toMatch(/^orders-/);
  });

  it('registers no health check when the message is absent', () => {
    const registration = registrationFromGrpc(
      { serviceName: 'a', address: 'h', port: 1, healthCheck: null },
      undefined,
      5000,
    );
    expect(registration.healthCheck).toBeUndefined();
  });

  it('throws MeshValidationError listing the problems', () => {
    expect(() => registrationFromGrpc({ serviceName: '', address: '', port: 0 }, undefined, 5000)).toThrow(
      MeshValidationError,
    );
  });
});

describe(statusFromGrpc.name, () => {
  it('reads enum names and numbers', () => {
    expect(statusFromGrpc('HEALTH_STATUS_UNHEALTHY')).toBe('Unhealthy');
    expect(statusFromGrpc(3)).toBe('Degraded');
    expect(() => statusFromGrpc('SICK')).toThrow(MeshValidationError);
  });
});

describe(toGrpcInstance.name, () => {
  it('writes the enum name and Timestamps, leaving an unknown lastHealthCheck unset', () => {
    expect(toGrpcInstance(instance)).toEqual({
      serviceName: 'orders',
      serviceId: 'orders-1',
      address: '10.0.0.1',
      port: 80,
      status: 'HEALTH_STATUS_DEGRADED',
      metadata: { a: 'b' },
      registeredAt: { seconds: 1_700_000_000, nanos: 250_000_000 },
      lastHealthCheck: null,
    });
  });
});

describe(toGrpcWatchEvent.name, () => {
  it('maps snapshots and events with string indexes', () => {
    expect(toGrpcWatchEvent({ type: 'snapshot', index: 7, instances: [instance] })).toMatchObject({
      type: 'SNAPSHOT',
      index: '7',
      instances: [expect.objectContaining({ serviceId: 'orders-1' })],
    });
    expect(toGrpcWatchEvent({ type: 'deregister', index: 8, instance, reason: 'expired' })).toMatchObject({
      type: 'DEREGISTER',
      index: '8',
      reason: 'expired',
    });
  });
});
