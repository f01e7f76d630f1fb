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

  describe('PUT /v1/agent/service/register', () => {
    it('stores the service with Consul casing and a TTL check that starts critical with no output', async () => {
      const registered = await call(agent.url, 'PUT', '/v1/agent/service/register', {
        ...serviceBody('web-1'),
        Check: { CheckID: 'service:web-1', TTL: '30s', Notes: 'n' },
      });
      expect([registered.status, registered.text]).toEqual([200, '']);
      const services = (await call(agent.url, 'GET', '/v1/agent/services')).json();
      expect(services).toEqual({
        'web-1': expect.objectContaining({
          ID: 'web-1',
          Service: 'web',
          Tags: ['blue'],
          Meta: { zone: 'eu' },
          Port: 8080,
        }),
      });
      const answer = await call(agent.url, 'GET', '/v1/health/service/web');
      expect(Number(answer.headers.get('x-consul-index'))).toBeGreaterThan(0);
      const [entry] = answer.json() as HealthEntry[];
      expect(entry!.Node.Node).toBe('toskamesh-fixture');
      expect(entry!.Checks.map((check) => [check.CheckID, check.Status, check.Output])).toEqual([
        ['service:web-1', 'critical', ''],
        ['serfHealth', 'passing', 'Agent alive and reachable'],
      ]);
    });

    it('answers 400 with Consul text for invalid meta, a missing name and a check without TTL or interval', async () => {
      const badMeta = await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('x', { Meta: { 'a.b': 'v' } }),
      );
      expect([badMeta.status, badMeta.text]).toEqual([
        400,
        "Invalid Service Meta: Couldn't load metadata pair ('a.b', 'v'): Key contains invalid characters",
      ]);
      const noName = await call(agent.url, 'PUT', '/v1/agent/service/register', { ID: 'x' });
      expect([noName.status, noName.text]).toEqual([400, 'Missing service name']);
      const badCheck = await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('x', { Check: { HTTP: 'http://a' } }),
      );
      expect(badCheck.status).toBe(400);
      expect(badCheck.text).toMatch(/^Invalid check: Interval must be > 0/);
    });

    it('keeps a check status across re-registration and drops absent checks only with replace-existing-checks', async () => {
      const checks = [
        { CheckID: 'service:web-2', TTL: '30s' },
        { CheckID: 'extra:web-2', TTL: '30s' },
      ];
      await call(agent.url, 'PUT', '/v1/agent/service/register', serviceBody('web-2', { Checks: checks }));
      await call(agent.url, 'PUT', '/v1/agent/check/pass/service:web-2?note=ok');
      await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-2', { Check: checks[0], Port: 9090 }),
      );
      let [entry] = await health('web');
      expect(entry!.Service.Port).toBe(9090);
      expect(entry!.Checks.map((c) => [c.CheckID, c.Status])).toEqual(
        expect.arrayContaining([
          ['service:web-2', 'passing'],
          ['extra:web-2', 'critical'],
        ]),
      );
      await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register?replace-existing-checks=true',
        serviceBody('web-2', { Check: checks[0] }),
      );
      [entry] = await health('web');
      expect(entry!.Checks.map((c) => c.CheckID)).toEqual(['service:web-2', 'serfHealth']);
    });
  });

  describe('PUT /v1/agent/service/deregister/:id', () => {
    it('removes the service and answers 404 with Consul text for an unknown id', async () => {
      await call(agent.url, 'PUT', '/v1/agent/service/register', serviceBody('web-3'));
      expect((await call(agent.url, 'PUT', '/v1/agent/service/deregister/web-3')).status).toBe(200);
      expect(await health('web')).toEqual([]);
      const again = await call(agent.url, 'PUT', '/v1/agent/service/deregister/web-3');
      expect([again.status, again.text]).toEqual([
        404,
        'Unknown service ID "web-3". Ensure that the service ID is passed, not the service name.',
      ]);
    });
  });

  describe('PUT /v1/agent/check/:verb/:id', () => {
    it('sets the status and output from ?note, and answers 404 for an unknown check', async () => {
      await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-4', { Check: { TTL: '30s' } }),
      );
      await call(agent.url, 'PUT', '/v1/agent/check/warn/service:web-4?note=slow');
      const [entry] = await health('web');
      expect(entry!.Checks[0]).toMatchObject({ CheckID: 'service:web-4', Status: 'warning', Output: 'slow' });
      const unknown = await call(agent.url, 'PUT', '/v1/agent/check/pass/service:nope');
      expect([unknown.status, unknown.text]).toEqual([
        404,
        'Unknown check ID "service:nope". Ensure that the check ID is passed, not the check name.',
      ]);
      const bad = await call(agent.url, 'PUT', '/v1/agent/check/update/service:web-4', { Status: 'fine' });
      expect([bad.status, bad.text]).toEqual([400, "Invalid check status: 'fine'"]);
      await call(agent.url, 'PUT', '/v1/agent/check/update/service:web-4', {
        Status: 'critical',
        Output: 'down',
      });
      expect((await health('web'))[0]!.Checks[0]).toMatchObject({ Status: 'critical', Output: 'down' });
    });

    it('turns a TTL check critical with "TTL expired" when no update arrives in time', async () => {
      await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-5', { Check: { TTL: '300ms' } }),
      );
      await call(agent.url, 'PUT', '/v1/agent/check/pass/service:web-5?note=alive');
      expect(await health('web', '?passing')).toHaveLength(1);
      const entries = await until(
        () => health('web'),
        (list) => list[0]?.Checks[0]?.Status === 'critical',
      );
      expect(entries[0]!.Checks[0]!.Output).toBe('TTL expired (last output before timeout follows): alive');
      expect(await health('web', '?passing')).toEqual([]);
    });
  });

  describe('reaping', () => {
    it('deregisters a service whose check stays critical past DeregisterCriticalServiceAfter', async () => {
      await call(
        agent.url,
        'PUT',
        '/v1/agent/service/register',
        serviceBody('web-6', {
          Check: { TTL: '30s', DeregisterCriticalServiceAfter: '100ms' },
        }),
      );
      const started = Date.now();
      expect(await health('web')).toHaveLength(1);
      const gone = await until(
        () => health('web'),
        (list) => list.length === 0,
      );
      expect(gone).toEqual([]);
      // The fixture clamps the limit to minDeregisterCriticalMs (300 ms), as Consul clamps to 1 minute.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });
  });
});
