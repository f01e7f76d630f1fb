import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, uniqueName } from '@toskamesh/testing';
import { Redis } from 'ioredis';
import { ChangeFeed } from '../src/watch/change-feed.service.js';
import type { DiscoveryApp } from '../src/index.js';
import { adminToken, call, registrationBody, startDiscovery } from './support/discovery-fixture.js';
import { SseClient } from './support/sse-client.js';

const REG = '/api/ServiceRegistration';
const DISC = '/api/ServiceDiscovery';

/**
 * Two discovery replicas on one Redis (unique key prefix per run): a change made through one is seen
 * by the other's reads, SSE watchers and tracking, with the same registry index.
 */
describe(`${ChangeFeed.name} with the Redis store`, () => {
  const keyPrefix = uniqueName('discovery-e2e');
  let first: DiscoveryApp;
  let second: DiscoveryApp;
  let admin: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    const store = {
      provider: 'redis' as const,
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix, sweepIntervalMs: 200 },
    };
    [first, second] = await Promise.all([
      startDiscovery({ grpcPort: false, store }),
      startDiscovery({ grpcPort: false, store }),
    ]);
    admin = await adminToken();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([first?.close(), second?.close()]);
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  async function watch(app: DiscoveryApp, service: string): Promise<SseClient> {
    const client = await SseClient.open(`${app.httpUrl}${DISC}/watch?service=${service}`, {
      authorization: `Bearer ${admin}`,
    });
    clients.push(client);
    return client;
  }

  describe('apply', () => {
    it('shows a registration made through one replica in the reads, watch and tracking of the other', async () => {
      const name = uniqueName('shared');
      const onSecond = await watch(second, name);
      const snapshot = await onSecond.next();
      expect(snapshot.data).toMatchObject({ instances: [] });
      const reply = await call(first.httpUrl, 'POST', `${REG}/register`, {
        token: admin,
        body: registrationBody(name),
      });
      expect(reply.status).toBe(200);
      const id = (reply.body.data as { serviceId: string }).serviceId;

      const event = await onSecond.next();
      expect(event.data).toMatchObject({ type: 'register', instance: { serviceId: id, status: 1 } });
      expect(Number(event.id)).toBeGreaterThan(Number(snapshot.id));
      const read = await call(second.httpUrl, 'GET', `${DISC}/services/${name}/instances`, { token: admin });
      expect(read.body.data).toEqual([expect.objectContaining({ serviceId: id })]);

      await call(second.httpUrl, 'POST', `${REG}/deregister/${id}`, { token: admin });
      await eventually(async () => {
        const tracking = await call(first.httpUrl, 'GET', `${DISC}/instances/${id}/tracking`, {
          token: admin,
        });
        expect(tracking.body.data).toMatchObject({ deregisteredAt: expect.any(String) });
      });
      expect((await onSecond.next()).data).toMatchObject({ type: 'deregister', instance: { serviceId: id } });
    });

    it('lets a client resume on the other replica with the same index', async () => {
      const name = uniqueName('resume');
      const onFirst = await watch(first, name);
      const { id: seen } = await onFirst.next();
      onFirst.close();
      const reply = await call(first.httpUrl, 'POST', `${REG}/register`, {
        token: admin,
        body: registrationBody(name),
      });
      const id = (reply.body.data as { serviceId: string }).serviceId;
      await eventually(() => expect(second.app.get(ChangeFeed).snapshot(name).instances).toHaveLength(1));
      const resumed = await SseClient.open(`${second.httpUrl}${DISC}/watch?service=${name}`, {
        authorization: `Bearer ${admin}`,
        'last-event-id': seen!,
      });
      clients.push(resumed);
      const next = await resumed.next();
      expect(next.event).toBe('register');
      expect(next.data).toMatchObject({ instance: { serviceId: id } });
    });
  });
});
