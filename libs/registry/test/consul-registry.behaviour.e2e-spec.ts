import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, jest } from '@jest/globals';
import { MeshValidationError } from '@toskamesh/common';
import {
  ConsulServiceRegistry,
  RegistryAccessDeniedError,
  RegistryUnavailableError,
} from '@toskamesh/registry';
import { eventually, nextChange } from '@toskamesh/testing';
import { ConsulAgentFixture } from './fixtures/consul-agent.fixture.js';
import { useConsulHarness } from './fixtures/consul/registry-harness.js';

jest.setTimeout(30_000);

describe(ConsulServiceRegistry.name, () => {
  const h = useConsulHarness({ minDeregisterCriticalMs: 200, reapIntervalMs: 50 });

  describe('register', () => {
    it('registers a TTL check service:<id> and an HTTP check with the registration settings', async () => {
      const registry = h.registryOn(h.agent().url, { deregisterCriticalAfterMs: 90_000 });
      const healthCheck = { endpoint: '/ready', intervalMs: 5_000, timeoutMs: 1_500, unhealthyThreshold: 2 };
      const instance = await registry.register(
        h.registration({ serviceId: `${h.prefix}-hc`, healthCheck, ttlMs: 12_000 }),
      );
      const checks = await h.agentChecks(h.agent().url);
      expect(checks[`service:${instance.serviceId}`]).toMatchObject({
        Type: 'ttl',
        Status: 'critical',
        Output: '',
      });
      expect(checks[`service:${instance.serviceId}:http`]).toMatchObject({
        Type: 'http',
        Interval: '5s',
        Timeout: '1.5s',
      });
      const raw = (await (await fetch(`${h.agent().url}/v1/agent/service/${instance.serviceId}`)).json()) as {
        Meta: Record<string, string>;
      };
      expect(Date.parse(raw.Meta['toskamesh_registered_at']!)).toBe(instance.registeredAt.getTime());
      const stored = await registry.instance(instance.serviceId);
      expect(stored).toMatchObject({ status: 'Unknown', healthCheck, registeredAt: instance.registeredAt });
      expect(stored!.metadata).not.toHaveProperty('toskamesh_registered_at');
    });

    it('refuses metadata Consul would refuse, naming the rule', async () => {
      const registry = h.registryOn(h.agent().url);
      const attempt = registry.register(h.registration({ metadata: { 'app.version': '1' } }));
      await expect(attempt).rejects.toBeInstanceOf(MeshValidationError);
      await expect(attempt).rejects.toThrow(/\[A-Za-z0-9_-\]/);
    });
  });

  describe('heartbeat', () => {
    it('maps Degraded to a warning and Unknown to a warning noted Unknown', async () => {
      const registry = h.registryOn(h.agent().url);
      const instance = await registry.register(h.registration());
      const ttlCheck = async () => (await h.agentChecks(h.agent().url))[`service:${instance.serviceId}`];
      await registry.heartbeat(instance.serviceId, 'Unknown');
      expect((await registry.instance(instance.serviceId))?.status).toBe('Unknown');
      expect(await ttlCheck()).toMatchObject({ Status: 'warning', Output: 'toskamesh status: Unknown' });
      await registry.heartbeat(instance.serviceId, 'Unhealthy');
      await registry.heartbeat(instance.serviceId, 'Degraded');
      expect((await registry.instance(instance.serviceId))?.status).toBe('Degraded');
      // Unknown <-> Degraded changes only the output; Consul syncs that to the catalog lazily
      // (check_update_interval), so only the agent shows it at once.
      await registry.heartbeat(instance.serviceId, 'Unknown');
      expect(await ttlCheck()).toMatchObject({ Status: 'warning', Output: 'toskamesh status: Unknown' });
      expect((await registry.instance(instance.serviceId))?.status).toBe('Degraded');
    });

    it('renews a lapsed TTL with the status the last heartbeat set', async () => {
      const registry = h.registryOn(h.agent().url);
      const instance = await registry.register(h.registration({ ttlMs: 300 }));
      await registry.heartbeat(instance.serviceId, 'Degraded');
      await eventually(async () =>
        expect((await registry.instance(instance.serviceId))?.status).toBe('Unhealthy'),
      );
      await registry.heartbeat(instance.serviceId);
      expect((await registry.instance(instance.serviceId))?.status).toBe('Degraded');
    });
  });

  describe('instances', () => {
    it('follows the HTTP check Consul runs against the instance', async () => {
      let healthy = true;
      const target: Server = createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end());
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
      h.closeLater(() => new Promise<void>((resolve) => target.close(() => resolve())));
      const { port } = target.address() as AddressInfo;
      const registry = h.registryOn(h.agent().url);
      const healthCheck = { endpoint: '/health', intervalMs: 1_000, timeoutMs: 500, unhealthyThreshold: 1 };
      const instance = await registry.register(h.registration({ port, healthCheck }));
      await registry.heartbeat(instance.serviceId, 'Healthy');
      const name = instance.serviceName;
      await eventually(
        async () => expect(await registry.instances(name, { healthyOnly: true })).toHaveLength(1),
        {
          timeoutMs: 5_000,
        },
      );
      healthy = false;
      await eventually(
        async () => expect((await registry.instance(instance.serviceId))?.status).toBe('Unhealthy'),
        {
          timeoutMs: 5_000,
        },
      );
      expect(await registry.instances(name, { healthyOnly: true })).toEqual([]);
    });
  });

  describe('errors', () => {
    it('sends the ACL token and fails with RegistryAccessDeniedError without it', async () => {
      const secured = await ConsulAgentFixture.start({ aclToken: 'fixture-secret' });
      h.closeLater(() => secured.close());
      const allowed = h.registryOn(secured.url, { token: 'fixture-secret' });
      const instance = await allowed.register(h.registration());
      expect(await allowed.instances(instance.serviceName)).toHaveLength(1);
      expect(
        secured.requests
          .filter((request) => request.method === 'PUT')
          .every((r) => r.token === 'fixture-secret'),
      ).toBe(true);
      const anonymous = h.registryOn(secured.url);
      await expect(anonymous.register(h.registration())).rejects.toBeInstanceOf(RegistryAccessDeniedError);
      expect(await anonymous.instances(instance.serviceName)).toEqual([]);
    });

    it('fails with RegistryUnavailableError within timeoutMs when the agent does not answer', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
      h.closeLater(
        () =>
          new Promise<void>((resolve) => {
            silent.close(() => resolve());
            silent.closeAllConnections();
          }),
      );
      const registry = h.registryOn(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, {
        timeoutMs: 300,
      });
      const started = Date.now();
      await expect(registry.services()).rejects.toBeInstanceOf(RegistryUnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('sends the datacenter as ?dc= on catalog reads', async () => {
      const registry = h.registryOn(h.agent().url, { datacenter: 'dc-far' });
      await expect(registry.services()).rejects.toThrow(/No path to datacenter/);
      expect(await h.registryOn(h.agent().url, { datacenter: 'dc1' }).services()).toEqual(expect.any(Array));
    });

    it('ends its watches on close and refuses calls afterwards', async () => {
      const registry = new ConsulServiceRegistry({ url: h.agent().url });
      const iterator = registry.watch()[Symbol.asyncIterator]();
      expect((await nextChange(iterator)).type).toBe('snapshot');
      await registry.close();
      await registry.close();
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
      await expect(registry.services()).rejects.toBeInstanceOf(RegistryUnavailableError);
    });
  });
});
