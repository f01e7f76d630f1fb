import { describe, expect, it } from '@jest/globals';
import type { KeyValueContractContext } from './key-value-contract.context.js';

/** Stores with different key prefixes on one backend do not see each other's keys. */
export function describeIsolation(ctx: KeyValueContractContext): void {
  describe('key prefix', () => {
    it('keeps stores with different key prefixes apart', async () => {
      const left = await ctx.open('left');
      const right = await ctx.open('right');
      const ns = ctx.namespace('isolation');
      await left.set(`${ns}shared`, 'left');
      await right.set(`${ns}shared`, 'right');
      await left.set(`${ns}only-left`, 1);

      expect(await left.store.get(`${ns}shared`)).toBe('left');
      expect(await right.store.get(`${ns}shared`)).toBe('right');
      expect(await right.store.get(`${ns}only-left`)).toBeUndefined();
      expect(await left.store.keys(ns)).toEqual([`${ns}only-left`, `${ns}shared`]);
      expect(await right.store.keys(ns)).toEqual([`${ns}shared`]);
      expect([...(await right.store.getMany([`${ns}shared`, `${ns}only-left`])).keys()]).toEqual([
        `${ns}shared`,
      ]);
      const rightEntries: Array<[string, unknown]> = [];
      for await (const entry of right.store.entries(ns)) rightEntries.push(entry);
      expect(rightEntries).toEqual([[`${ns}shared`, 'right']]);

      await right.store.delete(`${ns}shared`);
      expect(await left.store.get(`${ns}shared`)).toBe('left');
    });

    it('returns caller keys without the store prefix', async () => {
      const ns = ctx.namespace('strip');
      await ctx.set(`${ns}k`, 1);
      expect(await ctx.store().keys(ns)).toEqual([`${ns}k`]);
      for await (const [key] of ctx.store().entries(ns)) expect(key).toBe(`${ns}k`);
    });
  });
}
