import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { probeTarget } from './probe-target.js';

const base: ServiceInstance = {
  serviceName: 'orders',
  serviceId: 'o-1',
  address: 'fd00::7',
  port: 8443,
  scheme: 'https',
  status: 'Unknown',
  metadata: {},
  tags: [],
  registeredAt: new Date(0),
  lastHeartbeatAt: null,
  healthCheck: { endpoint: 'ready', intervalMs: 2000, timeoutMs: 9000, unhealthyThreshold: 4 },
};

describe(probeTarget.name, () => {
  it('builds the URL (IPv6 in brackets) and caps the timeout at the interval', () => {
    expect(probeTarget(base, 5000)).toEqual({
      url: 'https://[fd00::7]:8443/ready',
      timeoutMs: 2000,
      unhealthyThreshold: 4,
      intervalMs: 2000,
    });
  });

  it('falls back to metadata health_check_endpoint with a threshold of 1 when there is no health check', () => {
    const plain = {
      ...base,
      address: '10.0.0.1',
      scheme: 'http',
      healthCheck: undefined,
      metadata: { health_check_endpoint: '/hc' },
    };
    expect(probeTarget(plain, 3000)).toMatchObject({
      url: 'http://10.0.0.1:8443/hc',
      timeoutMs: 3000,
      unhealthyThreshold: 1,
    });
  });
});
