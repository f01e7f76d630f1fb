import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError, MeshValidationError, type ServiceRegistration } from '@toskamesh/common';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import type { RegistryChange } from '../../registry-change.js';
import { MemoryServiceRegistry } from './memory.registry.js';

const base: ServiceRegistration = { serviceName: 'orders', address: '10.0.0.1', port: 8080 };

/** Everything the watch has buffered right now (fake timers: nothing arrives later by itself). */
async function drain(iterator: AsyncIterator<RegistryChange>, count: number): Promise<RegistryChange[]> {
  const items: RegistryChange[] = [];
  for (let i = 0; i < count; i += 1) items.push((await iterator.next()).value as RegistryChange);
  return items;
}

describe(MemoryServiceRegistry.name, () => {
  let registry: MemoryServiceRegistry;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    registry = new MemoryServiceRegistry({ sweepIntervalMs: 1_000 });
  });
  afterEach(async () => {
    await registry.close();
    jest.useRealTimers();
  });

  describe('constructor', () => {
    it('refuses a non-positive sweep interval', () => {
      expect(() => new MemoryServiceRegistry({ sweepIntervalMs: -5 })).toThrow(MeshConfigError);
    });
  });

  describe('register', () => {
    it('expires an instance after 3 x its health-check interval when ttlMs is absent', async () => {
      const healthCheck = { endpoint: '/health', intervalMs: 2_000, timeoutMs: 1_000, unhealthyThreshold: 3 };
      await registry.register({ ...base, serviceId: 'o-1', healthCheck });
      jest.advanceTimersByTime(5_999);
      expect(await registry.instance('o-1')).toBeDefined();
      jest.advanceTimersByTime(1);
      expect(await registry.instance('o-1')).toBeUndefined();
    });

    it('uses a 30 s TTL without a health check or ttlMs', async () => {
      await registry.register({ ...base, serviceId: 'o-1' });
      jest.advanceTimersByTime(29_999);
      expect(await registry.instances('orders')).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(await registry.instances('orders')).toEqual([]);
    });

    it('refuses a non-positive ttlMs', async () => {
      await expect(registry.register({ ...base, ttlMs: 0 })).rejects.toBeInstanceOf(MeshValidationError);
    });

    it('returns a frozen instance so one reader cannot change what others see', async () => {
      const instance = await registry.register({ ...base, metadata: { a: '1' } });
      expect(Object.isFrozen(instance)).toBe(true);
      expect(Object.isFrozen(instance.metadata)).toBe(true);
    });

    it('announces a deregister for the old service when an id moves to another service', async () => {
      await registry.register({ ...base, serviceId: 'x-1' });
      const iterator = registry.watch('orders')[Symbol.asyncIterator]();
      await iterator.next();
      await registry.register({ ...base, serviceId: 'x-1', serviceName: 'billing' });
      expect(await iterator.next()).toMatchObject({
        value: { type: 'deregister', reason: 'deregistered', instance: { serviceName: 'orders' } },
      });
      expect(await registry.services()).toEqual(['billing']);
    });
  });

  describe('heartbeat', () => {
    it('renews the TTL from the time of the heartbeat', async () => {
      await registry.register({ ...base, serviceId: 'o-1', ttlMs: 1_000 });
      jest.advanceTimersByTime(800);
      await registry.heartbeat('o-1');
      jest.advanceTimersByTime(900);
      expect(await registry.instance('o-1')).toBeDefined();
      jest.advanceTimersByTime(100);
      await expect(registry.heartbeat('o-1')).rejects.toBeInstanceOf(ServiceNotRegisteredError);
    });

    it('accepts a status in any case and refuses an unknown one', async () => {
      await registry.register({ ...base, serviceId: 'o-1' });
      await registry.heartbeat('o-1', 'degraded' as 'Degraded');
      expect((await registry.instance('o-1'))?.status).toBe('Degraded');
      await expect(registry.heartbeat('o-1', 'sick' as 'Healthy')).rejects.toBeInstanceOf(
        MeshValidationError,
      );
    });

    it('emits no event when the status does not change', async () => {
      await registry.register({ ...base, serviceId: 'o-1' });
      const iterator = registry.watch('orders')[Symbol.asyncIterator]();
      await iterator.next();
      await registry.heartbeat('o-1');
      await registry.heartbeat('o-1', 'Healthy');
      await registry.deregister('o-1');
      expect(await iterator.next()).toMatchObject({ value: { type: 'deregister' } });
    });
  });

  describe('updateMetadata', () => {
    it('refuses a merge whose result exceeds 64 entries', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${i}`, 'v']));
      await registry.register({ ...base, serviceId: 'o-1', metadata });
      const more = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`b${i}`, 'v']));
      await expect(registry.updateMetadata('o-1', more)).rejects.toThrow(/after merging/);
      expect(Object.keys((await registry.instance('o-1'))!.metadata)).toHaveLength(40);
    });
  });

  describe('watch', () => {
    it('announces an expiry from the sweep timer without any read', async () => {
      await registry.register({ ...base, serviceId: 'o-1', ttlMs: 1_500 });
      const iterator = registry.watch()[Symbol.asyncIterator]();
      const [snapshot] = await drain(iterator, 1);
      expect(snapshot).toMatchObject({ type: 'snapshot', index: 1 });
      jest.advanceTimersByTime(2_000);
      expect(await iterator.next()).toEqual({
        done: false,
        value: expect.objectContaining({ type: 'deregister', reason: 'expired', index: 2 }),
      });
    });

    it('replaces a backlog a consumer never read with a fresh snapshot', async () => {
      const small = new MemoryServiceRegistry();
      const iterator = small.watch('orders')[Symbol.asyncIterator]();
      for (let i = 0; i < 10_001; i += 1)
        await small.register({ ...base, serviceId: 'o-1', port: 1 + (i % 60_000) });
      const first = (await iterator.next()).value as RegistryChange;
      expect(first.type).toBe('snapshot');
      const second = (await iterator.next()).value as RegistryChange;
      expect(second).toMatchObject({ type: 'register', index: first.index + 1 });
      expect(second.index).toBe(10_001);
      await small.close();
    });

    it('ends at once when the signal is already aborted', async () => {
      const iterator = registry.watch('orders', { signal: AbortSignal.abort() })[Symbol.asyncIterator]();
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });
  });

  describe('close', () => {
    it('stops the sweep timer and ends every watch', async () => {
      const iterator = registry.watch()[Symbol.asyncIterator]();
      await iterator.next();
      const waiting = iterator.next();
      expect(jest.getTimerCount()).toBe(1);
      await registry.close();
      await registry.close();
      expect(jest.getTimerCount()).toBe(0);
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(await registry.watch()[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    });
  });
});
