import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsulAgentFixture } from './fixtures/consul-agent.fixture.js';
import { call, serviceBody, until, type HealthEntry } from './fixtures/consul/fixture-http.client.js';

describe(ConsulAgentFixture.name, () => {
  let agent: ConsulAgentFixture;
  const extra: ConsulAgentFixture[] = [];

  beforeAll(async () => {
    agent = await ConsulAgentFixture.start({
      minDeregisterCriticalMs: 300,
      reapIntervalMs: 50,
      checkUpdateIntervalMs: 0,
    });
  });
  afterEach(async () => {
    const services = (await call(agent.url, 'GET', '/v1/agent/services')).json() as Record<string, unknown>;
    for (const id of Object.keys(services))
      await call(agent.url, 'PUT', `/v1/agent/service/deregister/${id}`);
  });
  afterAll(async () => {
    await agent.close();
    await Promise.all(extra.map((fixture) => fixture.close()));
  });

  const health = async (name: string, query = '') =>
    (await call(agent.url, 'GET', `/v1/health/service/${name}${query}`)).json() as HealthEntry[];

  describe('HTTP checks', () => {
    let target: Server;
    let healthy = true;
    beforeAll(async () => {
      target = createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down'));
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => target.close(() => resolve()));
    });

    it('probes the endpoint on its interval and follows its answers', async () => {
      const { port } = target.address() as AddressInfo;
      const url = `http://10.9.9.9:${port}/health`;
      await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-7', {
          Check: { HTTP: url, Interval: '100ms', Timeout: '1s' },
        }),
      );
      let entries = await until(
        () => health('web'),
        (list) => list[0]?.Checks[0]?.Status === 'passing',
      );
      expect(entries[0]!.Checks[0]!.Output).toBe(`HTTP GET ${url}: 200 OK Output: ok`);
      healthy = false;
      entries = await until(
        () => health('web'),
        (list) => list[0]?.Checks[0]?.Status === 'critical',
      );
      expect(entries[0]!.Checks[0]!.Output).toBe(`HTTP GET ${url}: 503 Service Unavailable Output: down`);
      healthy = true;
    });
  });

  describe('blocking queries', () => {
    it('holds a query until the wait elapses and then returns the same index', async () => {
      await call(agent.url, 'PUT', '/v1/agent/service/register', serviceBody('web-8'));
      const first = await call(agent.url, 'GET', '/v1/health/service/web');
      const index = first.headers.get('x-consul-index')!;
      const started = Date.now();
      const held = await call(agent.url, 'GET', `/v1/health/service/web?index=${index}&wait=400ms`);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(390);
      expect(elapsed).toBeLessThan(400 + 400 / 16 + 300);
      expect(held.headers.get('x-consul-index')).toBe(index);
    });

    it('releases a held query as soon as the service changes, with a higher index', async () => {
      await call(agent.url, 'PUT', '/v1/agent/service/register', serviceBody('web-9'));
      const index = Number(
        (await call(agent.url, 'GET', '/v1/health/service/web')).headers.get('x-consul-index'),
      );
      const started = Date.now();
      const pending = call(agent.url, 'GET', `/v1/health/service/web?index=${index}&wait=10s`);
      setTimeout(() => void call(agent.url, 'PUT', '/v1/agent/service/register', serviceBody('web-10')), 150);
      const answer = await pending;
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(Number(answer.headers.get('x-consul-index'))).toBeGreaterThan(index);
      expect((answer.json() as HealthEntry[]).map((entry) => entry.Service.ID)).toEqual(['web-10', 'web-9']);
    });

    it('answers catalog services with a name -> tags map including consul', async () => {
      await call(agent.url, 'PUT', '/v1/agent/service/register', serviceBody('web-11'));
      const answer = await call(agent.url, 'GET', '/v1/catalog/services');
      expect(answer.json()).toEqual({ consul: [], web: ['blue'] });
      expect(Number(answer.headers.get('x-consul-index'))).toBeGreaterThan(0);
    });

    it('returns held queries at once with a lower index after a rewind', async () => {
      const index = Number(
        (await call(agent.url, 'GET', '/v1/catalog/services')).headers.get('x-consul-index'),
      );
      const pending = call(agent.url, 'GET', `/v1/catalog/services?index=${index}&wait=10s`);
      setTimeout(() => agent.rewindIndex(), 100);
      const answer = await pending;
      expect(Number(answer.headers.get('x-consul-index'))).toBeLessThan(index);
    });
  });

  describe('ACL', () => {
    it('lets the fixture token through, filters anonymous reads, refuses anonymous writes and unknown tokens', async () => {
      const secured = await ConsulAgentFixture.start({ aclToken: 'secret-token' });
      extra.push(secured);
      const anonymous = await call(secured.url, 'PUT', '/v1/agent/service/register', serviceBody('web-12'));
      expect(anonymous.status).toBe(403);
      expect(anonymous.text).toMatch(/^Permission denied: .* lacks permission 'service:write' on "web"$/);
      const wrong = await call(
        secured.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-12'),
        'nope',
      );
      expect([wrong.status, wrong.text]).toEqual([403, 'ACL not found']);
      const allowed = await call(
        secured.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-12'),
        'secret-token',
      );
      expect(allowed.status).toBe(200);
      expect((await call(secured.url, 'GET', '/v1/health/service/web')).json()).toEqual([]);
      expect(
        (await call(secured.url, 'GET', '/v1/health/service/web', undefined, 'secret-token')).json(),
      ).toHaveLength(1);
    });
  });
});
