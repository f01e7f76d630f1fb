import { describe, expect, it, jest } from '@jest/globals';
import { ConsulServiceRegistry, type RegistryChange } from '@toskamesh/registry';
import { eventually, nextChange, nextChangeMatching } from '@toskamesh/testing';
import { flakyProxy } from './fixtures/consul/flaky-proxy.js';
import { useConsulHarness } from './fixtures/consul/registry-harness.js';

jest.setTimeout(30_000);

describe(ConsulServiceRegistry.name, () => {
  const h = useConsulHarness({ minDeregisterCriticalMs: 200, reapIntervalMs: 50 });

  describe('watch', () => {
    it('reports an instance Consul reaped after its TTL lapsed as deregister with reason expired', async () => {
      const registry = h.registryOn(h.agent().url, { deregisterCriticalAfterMs: 100 });
      const reg = h.registration({ ttlMs: 300 });
      const iterator = h.iteratorOf(registry, reg.serviceName);
      expect((await nextChange(iterator)).type).toBe('snapshot');
      const instance = await registry.register(reg);
      const isOurs = (change: RegistryChange) =>
        change.type !== 'snapshot' && change.instance.serviceId === instance.serviceId;
      expect(await nextChangeMatching(iterator, isOurs)).toMatchObject({ type: 'register' });
      expect(await nextChangeMatching(iterator, isOurs)).toMatchObject({
        type: 'health',
        instance: { status: 'Unhealthy' },
      });
      expect(await nextChangeMatching(iterator, isOurs)).toMatchObject({
        type: 'deregister',
        reason: 'expired',
      });
    });

    it('restarts its blocking loop at index 0 when the index goes backwards, and misses nothing', async () => {
      // A second, independent registry writes, so the watcher gets no read-your-writes help.
      const writer = h.registryOn(h.agent().url);
      const name = h.registration().serviceName;
      const first = await writer.register(h.registration({ serviceName: name }));
      for (let i = 0; i < 3; i += 1) await writer.heartbeat(first.serviceId, i % 2 ? 'Healthy' : 'Degraded');
      const iterator = h.iteratorOf(h.registryOn(h.agent().url), name);
      expect(await nextChange(iterator)).toMatchObject({
        type: 'snapshot',
        instances: [{ serviceId: first.serviceId }],
      });
      // Rewind while the watch's blocking query is held (a later query would just wait out its `wait`).
      await eventually(() => {
        const held = h.agent().requests.some((r) => r.url.startsWith(`/v1/health/service/${name}?index=`));
        if (!held) throw new Error('no blocking query yet');
      });
      h.agent().rewindIndex();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await writer.register(h.registration({ serviceName: name }));
      expect(await nextChange(iterator, 4_000)).toMatchObject({
        type: 'register',
        instance: { serviceId: second.serviceId },
      });
    });

    it("reports each of its own registry's quick writes as its own event", async () => {
      const registry = h.registryOn(h.agent().url);
      const reg = h.registration();
      const iterator = h.iteratorOf(registry, reg.serviceName);
      expect((await nextChange(iterator)).type).toBe('snapshot');
      const instance = await registry.register(reg);
      const statuses = ['Unhealthy', 'Healthy', 'Degraded', 'Unhealthy', 'Healthy', 'Unhealthy'] as const;
      for (const status of statuses) await registry.heartbeat(instance.serviceId, status);
      const seen: string[] = [];
      for (let i = 0; i <= statuses.length; i += 1) {
        const change = await nextChange(iterator, 3_000);
        seen.push(change.type === 'snapshot' ? 'snapshot' : `${change.type}:${change.instance.status}`);
      }
      expect(seen).toEqual(['register:Healthy', ...statuses.map((status) => `health:${status}`)]);
    });

    it('survives an agent outage and starts over with a fresh snapshot', async () => {
      const proxy = await flakyProxy(h.agent().url);
      h.closeLater(() => proxy.close());
      const registry = h.registryOn(proxy.url, { blockingWaitMs: 500 });
      const direct = h.registryOn(h.agent().url);
      const name = h.registration().serviceName;
      const iterator = h.iteratorOf(registry, name);
      expect(await nextChange(iterator)).toMatchObject({ type: 'snapshot', instances: [] });
      proxy.down = true;
      await new Promise((resolve) => setTimeout(resolve, 800));
      const instance = await direct.register(h.registration({ serviceName: name }));
      proxy.down = false;
      const next = await nextChange(iterator, 10_000);
      expect(next).toMatchObject({ type: 'snapshot' });
      if (next.type === 'snapshot')
        expect(next.instances.map((item) => item.serviceId)).toEqual([instance.serviceId]);
    });

    it('follows services appearing and leaving in an all-services watch', async () => {
      const registry = h.registryOn(h.agent().url);
      const iterator = h.iteratorOf(registry);
      expect((await nextChange(iterator)).type).toBe('snapshot');
      const instance = await registry.register(h.registration());
      const ours = (change: RegistryChange) =>
        change.type !== 'snapshot' && change.instance.serviceId === instance.serviceId;
      expect(await nextChangeMatching(iterator, ours)).toMatchObject({ type: 'register' });
      await registry.deregister(instance.serviceId);
      expect(await nextChangeMatching(iterator, ours)).toMatchObject({
        type: 'deregister',
        reason: 'deregistered',
      });
      expect(await registry.services()).not.toContain(instance.serviceName);
    });
  });
});
