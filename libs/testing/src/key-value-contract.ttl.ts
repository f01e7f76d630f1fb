import { describe, expect, it } from '@jest/globals';
import { eventually } from './eventually.js';
import type { KeyValueContractContext } from './key-value-contract.context.js';

/** Expiry: reads stop seeing a key after its TTL, a plain set clears a TTL, `ttlMs <= 0` deletes. */
export function describeTtl(ctx: KeyValueContractContext): void {
  const { caps } = ctx;
  const timing = { timeoutMs: caps.expiryTimeoutMs, intervalMs: Math.max(10, Math.floor(caps.ttlMs / 5)) };

  /** Waits until a fresh key written now with `caps.ttlMs` has expired: proof that one TTL has passed. */
  async function waitOneTtl(ns: string): Promise<void> {
    const marker = `${ns}marker`;
    await ctx.set(marker, 'marker', { ttlMs: caps.ttlMs });
    await eventually(async () => expect(await ctx.store().get(marker)).toBeUndefined(), timing);
  }

  describe('TTL', () => {
    it('serves a key until its TTL lapses, then reads it as missing', async () => {
      const key = `${ctx.namespace('ttl')}k`;
      await ctx.set(key, { live: true }, { ttlMs: Math.max(caps.ttlMs, 1_000) });
      expect(await ctx.store().get(key)).toEqual({ live: true });
      await eventually(async () => expect(await ctx.store().get(key)).toBeUndefined(), {
        ...timing,
        timeoutMs: timing.timeoutMs + 1_000,
      });
      expect((await ctx.store().getMany([key])).size).toBe(0);
    });

    it('never lists an expired key', async () => {
      const ns = ctx.namespace('ttl-list');
      await ctx.set(`${ns}stays`, 1);
      await ctx.set(`${ns}goes`, 2, { ttlMs: caps.ttlMs });
      await eventually(async () => expect(await ctx.store().keys(ns)).toEqual([`${ns}stays`]), timing);
      const entries: Array<[string, unknown]> = [];
      for await (const entry of ctx.store().entries(ns)) entries.push(entry);
      expect(entries).toEqual([[`${ns}stays`, 1]]);
    });

    it('removes an earlier TTL when the key is set again without one', async () => {
      const ns = ctx.namespace('ttl-clear');
      const key = `${ns}k`;
      await ctx.set(key, 'first', { ttlMs: caps.ttlMs });
      await ctx.set(key, 'second');
      await waitOneTtl(ns);
      expect(await ctx.store().get(key)).toBe('second');
    });

    it('replaces the TTL when the key is set again with a longer one', async () => {
      const ns = ctx.namespace('ttl-extend');
      const key = `${ns}k`;
      await ctx.set(key, 'v', { ttlMs: caps.ttlMs });
      await ctx.set(key, 'v', { ttlMs: caps.expiryTimeoutMs * 4 });
      await waitOneTtl(ns);
      expect(await ctx.store().get(key)).toBe('v');
    });

    it.each([0, -1, -5_000])('deletes the key when ttlMs is %d', async (ttlMs) => {
      const key = `${ctx.namespace('ttl-zero')}k`;
      await ctx.set(key, 'present');
      await ctx.set(key, 'ignored', { ttlMs });
      expect(await ctx.store().get(key)).toBeUndefined();
      expect(await ctx.store().keys(key)).toEqual([]);
    });
  });
}
