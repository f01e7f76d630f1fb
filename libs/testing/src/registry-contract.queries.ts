import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '@toskamesh/common';
import { ServiceNotRegisteredError } from '@toskamesh/registry';
import type { ContractContext } from './registry-contract.context.js';

/** updateMetadata, services() and instances(). */
export function describeQueries(ctx: ContractContext): void {
  describe('updateMetadata', () => {
    it('merges new keys, replaces a key that differs only in case, keeps the rest', async () => {
      const name = ctx.serviceName('meta');
      const instance = await ctx.register(
        ctx.registration(name, { metadata: { Version: '1', zone: 'eu-1' } }),
      );
      const updated = await ctx.registry().updateMetadata(instance.serviceId, { version: '2', team: 'core' });
      const expected = { version: '2', zone: 'eu-1', team: 'core' };
      expect(updated.metadata).toMatchObject(expected);
      expect(updated.metadata).not.toHaveProperty('Version');
      const stored = await ctx.registry().instance(instance.serviceId);
      expect(stored?.metadata).toMatchObject(expected);
      expect(stored?.metadata).not.toHaveProperty('Version');
    });

    it('throws ServiceNotRegisteredError for an unknown id', async () => {
      const attempt = ctx.registry().updateMetadata(`${ctx.serviceName('ghost')}-x`, { a: 'b' });
      await expect(attempt).rejects.toBeInstanceOf(ServiceNotRegisteredError);
    });

    it('throws MeshValidationError when the update has more than 64 entries', async () => {
      const instance = await ctx.register(ctx.registration(ctx.serviceName('metabad')));
      const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
      await expect(ctx.registry().updateMetadata(instance.serviceId, tooMany)).rejects.toBeInstanceOf(
        MeshValidationError,
      );
    });
  });

  describe('services', () => {
    it('lists each service with live instances once, sorted, and drops one when its last instance leaves', async () => {
      const beta = ctx.serviceName('beta');
      const alpha = ctx.serviceName('alpha');
      const betaOne = await ctx.register(ctx.registration(beta));
      await ctx.register(ctx.registration(alpha));
      const betaTwo = await ctx.register(ctx.registration(beta));
      const ours = (await ctx.registry().services()).filter((name) => ctx.ownsService(name));
      expect(ours).toEqual([beta, alpha].sort());
      const all = await ctx.registry().services();
      expect(all).toEqual([...all].sort(compareOrdinal));

      await ctx.registry().deregister(betaOne.serviceId);
      expect(await ctx.registry().services()).toContain(beta);
      await ctx.registry().deregister(betaTwo.serviceId);
      expect(await ctx.registry().services()).not.toContain(beta);
      expect(await ctx.registry().services()).toContain(alpha);
    });
  });

  describe('instances', () => {
    it('returns only the named service, sorted by serviceId', async () => {
      const name = ctx.serviceName('list');
      const other = ctx.serviceName('other');
      for (const suffix of ['c', 'a', 'b']) {
        await ctx.register(ctx.registration(name, { serviceId: `${name}-${suffix}` }));
      }
      await ctx.register(ctx.registration(other));
      const ids = (await ctx.registry().instances(name)).map((instance) => instance.serviceId);
      expect(ids).toEqual([`${name}-a`, `${name}-b`, `${name}-c`]);
    });

    it('returns an empty list for an unknown service', async () => {
      expect(await ctx.registry().instances(ctx.serviceName('empty'))).toEqual([]);
    });
  });
}

function compareOrdinal(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
