import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { SseSink, sseFrame } from './sse.sink.js';

const instance = {
  serviceName: 'orders',
  serviceId: 'o-1',
  address: '10.0.0.1',
  port: 80,
  scheme: 'http',
  status: 'Healthy',
  metadata: {},
  tags: [],
  registeredAt: new Date(0),
  lastHeartbeatAt: null,
} as ServiceInstance;

describe(sseFrame.name, () => {
  it('writes id, event and one data line with the status as an integer', () => {
    const frame = sseFrame({ type: 'deregister', index: 12, instance, reason: 'expired' });
    const [id, event, data, ...rest] = frame.split('\n');
    expect([id, event]).toEqual(['id: 12', 'event: deregister']);
    expect(JSON.parse(data!.slice('data: '.length))).toMatchObject({
      index: 12,
      type: 'deregister',
      reason: 'expired',
      instance: { serviceId: 'o-1', status: 1, lastHealthCheck: null },
    });
    expect(rest).toEqual(['', '']);
  });
});

describe(SseSink.name, () => {
  it('disconnects a client that stops reading instead of buffering without bound', () => {
    // A stream nobody reads, with a tiny buffer, stands in for a stalled socket.
    const socket = new PassThrough({ highWaterMark: 16 });
    const sink = new SseSink(socket as unknown as ServerResponse, 1024);
    for (let i = 0; i < 100 && !socket.destroyed; i += 1)
      sink.send({ type: 'snapshot', index: i, instances: [instance] });
    expect(socket.destroyed).toBe(true);
  });
});
