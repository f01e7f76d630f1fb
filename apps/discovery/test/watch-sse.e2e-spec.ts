import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, uniqueName } from '@toskamesh/testing';
import { WatchController } from '../src/discovery/watch.controller.js';
import type { DiscoveryApp } from '../src/index.js';
import { WatchHub } from '../src/watch/watch-hub.service.js';
import {
  adminToken,
  call,
  registrationBody,
  serviceToken,
  startDiscovery,
} from './support/discovery-fixture.js';
import { SseClient, type SseEvent } from './support/sse-client.js';

const REG = '/api/ServiceRegistration';
const WATCH = '/api/ServiceDiscovery/watch';

describe(WatchController.name, () => {
  let discovery: DiscoveryApp;
  let shortMemory: DiscoveryApp;
  let admin: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    [discovery, shortMemory] = await Promise.all([
      startDiscovery({
        grpcPort: false,
        watch: { heartbeatMs: 200 },
        store: { memory: { sweepIntervalMs: 100 } },
      }),
      startDiscovery({ grpcPort: false, watch: { retainEvents: 3 } }),
    ]);
    admin = await adminToken();
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await Promise.all([discovery?.close(), shortMemory?.close()]);
  });

  async function watch(
    app: DiscoveryApp,
    query = '',
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    const client = await SseClient.open(`${app.httpUrl}${WATCH}${query}`, {
      authorization: `Bearer ${admin}`,
      ...headers,
    });
    clients.push(client);
    return client;
  }

  async function register(app: DiscoveryApp, name: string, extra: Record<string, unknown> = {}) {
    const reply = await call(app.httpUrl, 'POST', `${REG}/register`, {
      token: admin,
      body: registrationBody(name, extra),
    });
    expect(reply.status).toBe(200);
    return (reply.body.data as { serviceId: string }).serviceId;
  }

  const ofService = (name: string) => (event: SseEvent) =>
    (event.data.instance as { serviceName?: string } | undefined)?.serviceName === name;

  describe('watch', () => {
    it('streams a snapshot of the service first, then its events with growing ids', async () => {
      const name = uniqueName('sse');
      const existing = await register(discovery, name);
      const client = await watch(discovery, `?service=${name}`);
      expect(client.status).toBe(200);
      expect(client.contentType).toMatch(/^text\/event-stream/);
      const snapshot = await client.next();
      expect(snapshot.event).toBe('snapshot');
      expect(snapshot.data).toMatchObject({ instances: [{ serviceId: existing, status: 1 }] });
      expect(snapshot.id).toBe(String(snapshot.data.index));

      const id = await register(discovery, name, { serviceId: `${name}-2` });
      await call(discovery.httpUrl, 'POST', `${REG}/health/${id}`, { token: admin, body: { status: 2 } });
      await call(discovery.httpUrl, 'POST', `${REG}/metadata/${id}`, {
        token: admin,
        body: { metadata: { a: 'b' } },
      });
      await call(discovery.httpUrl, 'POST', `${REG}/deregister/${id}`, { token: admin });
      const events = [await client.next(), await client.next(), await client.next(), await client.next()];
      expect(events.map((e) => e.event)).toEqual(['register', 'health', 'metadata', 'deregister']);
      expect(events[1]!.data).toMatchObject({ type: 'health', instance: { serviceId: id, status: 2 } });
      expect(events[3]!.data).toMatchObject({ reason: 'deregistered' });
      const indexes = events.map((e) => Number(e.id));
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
      expect(indexes[0]).toBeGreaterThan(Number(snapshot.id));
      expect(new Set(indexes).size).toBe(4);
    });

    it('does not send changes of other services', async () => {
      const name = uniqueName('mine');
      const client = await watch(discovery, `?service=${name}`);
      await client.next();
      await register(discovery, uniqueName('other'));
      await register(discovery, name);
      const event = await client.next();
      expect(event.data).toMatchObject({ type: 'register', instance: { serviceName: name } });
    });

    it('resumes after an index, from the query or from Last-Event-ID, without a snapshot', async () => {
      const name = uniqueName('resume');
      const first = await watch(discovery, `?service=${name}`);
      const { id: seen } = await first.next();
      first.close();
      const a = await register(discovery, name);
      const b = await register(discovery, name);
      for (const client of [
        await watch(discovery, `?service=${name}&index=${seen}`),
        await watch(discovery, `?service=${name}`, { 'last-event-id': seen! }),
      ]) {
        const replayed = [await client.next(), await client.next()];
        expect(replayed.map((e) => [e.event, (e.data.instance as { serviceId: string }).serviceId])).toEqual([
          ['register', a],
          ['register', b],
        ]);
      }
    });

    it('sends one snapshot when the events after the index are no longer retained', async () => {
      const name = uniqueName('old');
      const client = await watch(shortMemory, `?service=${name}`);
      const { id: seen } = await client.next();
      client.close();
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1)
        ids.push(await register(shortMemory, name, { serviceId: `${name}-${i}` }));
      const resumed = await watch(shortMemory, `?service=${name}&index=${seen}`);
      const first = await resumed.next();
      expect(first.event).toBe('snapshot');
      expect((first.data.instances as { serviceId: string }[]).map((i) => i.serviceId)).toEqual(ids);
    });

    it('answers 400 problem+json for a malformed index and 401 without a token', async () => {
      const bad = await call(discovery.httpUrl, 'GET', `${WATCH}?index=abc`, { token: admin });
      expect(bad.status).toBe(400);
      expect(bad.contentType).toMatch(/^application\/problem\+json/);
      const anonymous = await call(discovery.httpUrl, 'GET', WATCH);
      expect(anonymous.status).toBe(401);
    });

    it('sends heartbeat comments on an idle stream', async () => {
      const client = await watch(discovery, `?service=${uniqueName('idle')}`);
      await client.next();
      await eventually(
        () => expect(client.comments.some((line) => line.startsWith(': keep-alive'))).toBe(true),
        {
          timeoutMs: 3000,
        },
      );
    });

    it('serves many concurrent clients and frees each one when it disconnects', async () => {
      const hub = discovery.app.get(WatchHub);
      // Clients of earlier tests were aborted in afterEach; the server notices that asynchronously.
      await eventually(() => expect(hub.clients).toBe(0), { timeoutMs: 3000 });
      const before = 0;
      const name = uniqueName('fan');
      const many = await Promise.all(Array.from({ length: 25 }, () => watch(discovery, `?service=${name}`)));
      for (const client of many) expect((await client.next()).event).toBe('snapshot');
      expect(hub.clients).toBe(before + 25);
      const id = await register(discovery, name);
      for (const client of many) {
        expect((await client.nextMatching(ofService(name))).data).toMatchObject({
          instance: { serviceId: id },
        });
      }
      for (const client of many) client.close();
      await eventually(() => expect(hub.clients).toBe(before), { timeoutMs: 3000 });
    });

    it('announces a lapsed TTL as deregister/expired and drops the instance from REST reads', async () => {
      const name = uniqueName('ttl');
      const token = await serviceToken(name);
      const client = await watch(discovery, `?service=${name}`);
      await client.next();
      const reply = await call(discovery.httpUrl, 'POST', `${REG}/register`, {
        token,
        body: registrationBody(name, { ttlMs: 400 }),
      });
      const id = (reply.body.data as { serviceId: string }).serviceId;
      expect((await client.next()).event).toBe('register');
      const expired = await client.next(5000);
      expect(expired.data).toMatchObject({
        type: 'deregister',
        reason: 'expired',
        instance: { serviceId: id },
      });
      const lookup = await call(
        discovery.httpUrl,
        'GET',
        `/api/ServiceDiscovery/services/${name}/instances`,
        { token },
      );
      expect(lookup.body.data).toEqual([]);
      const tracking = await call(
        discovery.httpUrl,
        'GET',
        `/api/ServiceDiscovery/instances/${id}/tracking`,
        { token },
      );
      expect(tracking.body.data).toMatchObject({
        deregisteredAt: expect.any(String),
        deregisterReason: 'expired',
      });
    });
  });
});
