import { describe, expect, it } from '@jest/globals';
import { sleep } from '@toskamesh/common';
import { ServiceNotRegisteredError } from '@toskamesh/registry';
import { eventually } from './eventually.js';
import { nextChangeMatching } from './next-change.js';
import type { ContractContext } from './registry-contract.context.js';

/** TTL renewal by heartbeats and what a lapsed TTL does to reads and watches. */
export function describeTtl(ctx: ContractContext): void {
  const { caps } = ctx;
  // A provider that cannot carry a TTL (gRPC has no field for it) does not get these cases at all.
  if (!caps.honoursTtl) return;

  describe('TTL', () => {
    it('keeps a heartbeated instance alive past its first TTL', async () => {
      const name = ctx.serviceName('renew');
      // A TTL long enough that a loaded CI machine stalling the event loop for a second between two
      // beats cannot lapse it; the claim under test is renewal, not how short a TTL may be.
      const ttlMs = Math.max(caps.ttlMs, 1_500);
      const instance = await ctx.register(ctx.registration(name, { ttlMs }));
      const pauseMs = Math.floor(ttlMs / 6);
      const until = Date.now() + 1.5 * ttlMs;
      for (let beat = 0; beat < 100 && Date.now() < until; beat += 1) {
        await sleep(pauseMs);
        await ctx.registry().heartbeat(instance.serviceId);
      }
      const healthy = await ctx.registry().instances(name, { healthyOnly: true });
      expect(healthy.map((item) => item.serviceId)).toEqual([instance.serviceId]);
    });

    it('drops a lapsed instance from healthyOnly reads (and from every read when expiry removes it)', async () => {
      const name = ctx.serviceName('lapse');
      const instance = await ctx.register(ctx.registration(name, { ttlMs: caps.ttlMs }));
      const timing = { timeoutMs: caps.expiryTimeoutMs, intervalMs: 50 };
      await eventually(async () => {
        expect(await ctx.registry().instances(name, { healthyOnly: true })).toEqual([]);
      }, timing);
      if (caps.expiryRemovesInstance) {
        expect(await ctx.registry().instances(name)).toEqual([]);
        expect(await ctx.registry().instance(instance.serviceId)).toBeUndefined();
        expect(await ctx.registry().services()).not.toContain(name);
        await expect(ctx.registry().heartbeat(instance.serviceId)).rejects.toBeInstanceOf(
          ServiceNotRegisteredError,
        );
      } else {
        const kept = await ctx.registry().instance(instance.serviceId);
        expect(kept?.status).not.toBe('Healthy');
      }
    });

    it('announces the lapse on watch', async () => {
      const name = ctx.serviceName('lapsewatch');
      const { iterator, snapshotIndex } = await ctx.watchFromSnapshot(name);
      const instance = await ctx.register(ctx.registration(name, { ttlMs: caps.ttlMs }));
      const isOurs = (change: { type: string; instance?: { serviceId: string } }) =>
        change.instance?.serviceId === instance.serviceId;
      const lapse = await nextChangeMatching(
        iterator,
        (change) => isOurs(change) && change.type !== 'register',
        caps.expiryTimeoutMs,
      );
      if (lapse.type === 'snapshot') throw new Error('unexpected snapshot');
      expect(lapse.index).toBeGreaterThan(snapshotIndex);
      if (caps.expiryRemovesInstance) {
        expect(lapse).toMatchObject({ type: 'deregister', reason: 'expired' });
      } else {
        expect(lapse.type).toBe('health');
        expect(lapse.instance.status).not.toBe('Healthy');
      }
    });
  });
}
