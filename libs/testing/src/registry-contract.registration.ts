import { describe, expect, it } from '@jest/globals';
import { MeshValidationError, type ServiceRegistration } from '@toskamesh/common';
import { ServiceNotRegisteredError } from '@toskamesh/registry';
import type { ContractContext } from './registry-contract.context.js';

const HEALTH_CHECK = { endpoint: '/health', intervalMs: 10_000, timeoutMs: 2_000, unhealthyThreshold: 3 };

/** register / deregister / instance: what is stored and what is refused. */
export function describeRegistration(ctx: ContractContext): void {
  describe('register', () => {
    it('returns the stored instance with the registration fields kept', async () => {
      const name = ctx.serviceName('orders');
      const registration = ctx.registration(name, {
        serviceId: `${name}-a`,
        metadata: { version: '1.2.3', zone: 'eu-1' },
        ...(ctx.caps.keepsTags ? { tags: ['blue', 'api'] } : {}),
      });
      const instance = await ctx.register(registration);
      expect(instance).toMatchObject({
        serviceName: name,
        serviceId: `${name}-a`,
        address: registration.address,
        port: registration.port,
        scheme: 'http',
        metadata: expect.objectContaining({ version: '1.2.3', zone: 'eu-1' }),
      });
      if (ctx.caps.keepsTags) expect([...instance.tags].sort()).toEqual(['api', 'blue']);
      expect(instance.registeredAt).toBeInstanceOf(Date);
      expect(await ctx.registry().instance(instance.serviceId)).toMatchObject({
        serviceId: instance.serviceId,
        port: registration.port,
        metadata: expect.objectContaining({ version: '1.2.3' }),
      });
    });

    it('generates "<serviceName>-<unique>" when serviceId is absent', async () => {
      const name = ctx.serviceName('gen');
      const first = await ctx.register(ctx.registration(name));
      const second = await ctx.register(ctx.registration(name));
      expect(first.serviceId.startsWith(`${name}-`)).toBe(true);
      expect(first.serviceId.length).toBeGreaterThan(name.length + 1);
      expect(second.serviceId).not.toBe(first.serviceId);
      expect(await ctx.registry().instances(name)).toHaveLength(2);
    });

    it('starts Healthy without a health check and Unknown with one', async () => {
      const name = ctx.serviceName('status');
      const plain = await ctx.register(ctx.registration(name));
      const probed = await ctx.register(ctx.registration(name, { healthCheck: HEALTH_CHECK }));
      expect(plain.status).toBe('Healthy');
      expect(probed.status).toBe('Unknown');
    });

    it('takes the scheme from metadata "scheme" when not given', async () => {
      const name = ctx.serviceName('scheme');
      const instance = await ctx.register(ctx.registration(name, { metadata: { scheme: 'https' } }));
      expect(instance.scheme).toBe('https');
    });

    it('replaces the instance when the same serviceId registers again', async () => {
      const name = ctx.serviceName('replace');
      const id = `${name}-1`;
      await ctx.register(ctx.registration(name, { serviceId: id, port: 7001, metadata: { v: '1' } }));
      const replaced = await ctx.register(ctx.registration(name, { serviceId: id, port: 7002 }));
      expect(replaced.port).toBe(7002);
      const listed = await ctx.registry().instances(name);
      expect(listed.map((instance) => [instance.serviceId, instance.port])).toEqual([[id, 7002]]);
      expect(listed[0]!.metadata).not.toHaveProperty('v');
    });

    const invalid: Array<[string, (name: string) => Partial<ServiceRegistration>]> = [
      ['the service name is missing', () => ({ serviceName: '' })],
      ['the port is 0', () => ({ port: 0 })],
      ['the port is 70000', () => ({ port: 70_000 })],
      ['the address is not a host or IP', () => ({ address: 'not a host!' })],
      ['metadata has 65 entries', () => ({ metadata: manyEntries(65) })],
      ['metadata exceeds 4 KiB', () => ({ metadata: { blob: 'x'.repeat(4_100) } })],
    ];
    it.each(invalid)('throws MeshValidationError when %s', async (_case, overrides) => {
      const name = ctx.serviceName('invalid');
      const attempt = ctx.register(ctx.registration(name, overrides(name)));
      await expect(attempt).rejects.toBeInstanceOf(MeshValidationError);
      expect(await ctx.registry().instances(name)).toEqual([]);
    });
  });

  describe('deregister', () => {
    it('returns true and removes a registered instance, false for an unknown id', async () => {
      const name = ctx.serviceName('dereg');
      const instance = await ctx.register(ctx.registration(name));
      expect(await ctx.registry().deregister(instance.serviceId)).toBe(true);
      expect(await ctx.registry().instance(instance.serviceId)).toBeUndefined();
      expect(await ctx.registry().instances(name)).toEqual([]);
      expect(await ctx.registry().deregister(instance.serviceId)).toBe(false);
      expect(await ctx.registry().deregister(`${name}-never-registered`)).toBe(false);
    });
  });

  describe('instance', () => {
    it('returns undefined for an id that was never registered', async () => {
      expect(await ctx.registry().instance(`${ctx.serviceName('none')}-x`)).toBeUndefined();
    });
  });

  describe('heartbeat', () => {
    it('throws ServiceNotRegisteredError for an unknown id', async () => {
      const attempt = ctx.registry().heartbeat(`${ctx.serviceName('ghost')}-x`);
      await expect(attempt).rejects.toBeInstanceOf(ServiceNotRegisteredError);
    });

    it('records the heartbeat time', async () => {
      const instance = await ctx.register(ctx.registration(ctx.serviceName('beat')));
      await ctx.registry().heartbeat(instance.serviceId);
      const stored = await ctx.registry().instance(instance.serviceId);
      expect(stored?.lastHeartbeatAt).toBeInstanceOf(Date);
      expect(stored!.lastHeartbeatAt!.getTime()).toBeGreaterThanOrEqual(
        instance.registeredAt.getTime() - 1_000,
      );
    });

    it('sets the status when given and healthyOnly follows it', async () => {
      const name = ctx.serviceName('beatstatus');
      const instance = await ctx.register(ctx.registration(name));
      await ctx.registry().heartbeat(instance.serviceId, 'Unhealthy');
      expect((await ctx.registry().instance(instance.serviceId))?.status).toBe('Unhealthy');
      expect(await ctx.registry().instances(name, { healthyOnly: true })).toEqual([]);
      expect(await ctx.registry().instances(name)).toHaveLength(1);
      await ctx.registry().heartbeat(instance.serviceId);
      expect((await ctx.registry().instance(instance.serviceId))?.status).toBe('Unhealthy');
      await ctx.registry().heartbeat(instance.serviceId, 'Healthy');
      const healthy = await ctx.registry().instances(name, { healthyOnly: true });
      expect(healthy.map((item) => item.serviceId)).toEqual([instance.serviceId]);
    });
  });
}

function manyEntries(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, 'v']));
}
