import { beforeAll, describe, expect, it } from '@jest/globals';
import type { KeyValueContractContext } from './key-value-contract.context.js';

/** getMany, keys and entries. */
export function describeListing(ctx: KeyValueContractContext): void {
  describe('getMany', () => {
    it('returns the present keys only, keyed by the caller keys, with duplicates collapsed', async () => {
      const ns = ctx.namespace('many');
      await ctx.set(`${ns}a`, { n: 1 });
      await ctx.set(`${ns}b`, null);
      const found = await ctx.store().getMany([`${ns}a`, `${ns}missing`, `${ns}b`, `${ns}a`]);
      expect([...found.entries()].sort()).toEqual([
        [`${ns}a`, { n: 1 }],
        [`${ns}b`, null],
      ]);
    });

    it('returns an empty map for no keys', async () => {
      expect((await ctx.store().getMany([])).size).toBe(0);
    });
  });

  describe('keys', () => {
    it('lists only keys under the prefix, sorted', async () => {
      const ns = ctx.namespace('keys');
      for (const suffix of ['c', 'a', 'b/1', 'b']) await ctx.set(`${ns}${suffix}`, suffix);
      await ctx.set(`${ctx.namespace('keys-other')}a`, 'other');
      expect(await ctx.store().keys(ns)).toEqual([`${ns}a`, `${ns}b`, `${ns}b/1`, `${ns}c`]);
      expect(await ctx.store().keys(`${ns}b`)).toEqual([`${ns}b`, `${ns}b/1`]);
      expect(await ctx.store().keys(`${ns}zz`)).toEqual([]);
    });

    it('returns at most limit distinct, sorted keys under the prefix', async () => {
      const ns = ctx.namespace('limit');
      const all = ['e', 'd', 'c', 'b', 'a'].map((suffix) => `${ns}${suffix}`);
      await ctx.setAll(all.map((key) => [key, 1]));
      const two = await ctx.store().keys(ns, { limit: 2 });
      expect(two).toHaveLength(2);
      expect(new Set(two).size).toBe(2);
      expect([...two].sort()).toEqual(two);
      two.forEach((key) => expect(all).toContain(key));
      expect(await ctx.store().keys(ns, { limit: 0 })).toEqual([]);
      expect(await ctx.store().keys(ns, { limit: 50 })).toEqual([...all].sort());
    });

    it('treats glob characters in the prefix literally', async () => {
      const ns = ctx.namespace('glob');
      await ctx.setAll([
        [`${ns}a*`, 1],
        [`${ns}ab`, 2],
        [`${ns}a?c`, 3],
        [`${ns}abc`, 4],
        [`${ns}[x]`, 5],
        [`${ns}x`, 6],
      ]);
      expect(await ctx.store().keys(`${ns}a*`)).toEqual([`${ns}a*`]);
      expect(await ctx.store().keys(`${ns}a?`)).toEqual([`${ns}a?c`]);
      expect(await ctx.store().keys(`${ns}[x`)).toEqual([`${ns}[x]`]);
    });
  });

  describe('entries', () => {
    let ns = '';
    let expected = new Map<string, { index: number }>();

    beforeAll(async () => {
      ns = ctx.namespace('paging');
      expected = new Map(
        Array.from({ length: ctx.caps.pagingKeys }, (_, index) => [
          `${ns}${String(index).padStart(4, '0')}`,
          { index },
        ]),
      );
      await ctx.setAll([...expected], 'suite');
    });

    it('streams every entry under the prefix across several pages, each once', async () => {
      const seen = new Map<string, unknown>();
      let count = 0;
      for await (const [key, value] of ctx.store().entries(ns)) {
        count += 1;
        seen.set(key, value);
      }
      expect(count).toBe(expected.size);
      expect(seen).toEqual(expected);
    });

    it('lists the default limit of 100 keys and all of them with a larger limit', async () => {
      const first = await ctx.store().keys(ns);
      expect(first).toHaveLength(Math.min(100, expected.size));
      const all = await ctx.store().keys(ns, { limit: expected.size + 10 });
      expect(all).toEqual([...expected.keys()].sort());
    });

    it('stops cleanly when the consumer breaks out early', async () => {
      let count = 0;
      for await (const entry of ctx.store().entries(ns)) {
        expect(entry[0].startsWith(ns)).toBe(true);
        count += 1;
        if (count === 3) break;
      }
      expect(count).toBe(3);
    });

    it('yields nothing for a prefix without keys', async () => {
      const entries: unknown[] = [];
      for await (const entry of ctx.store().entries(ctx.namespace('empty'))) entries.push(entry);
      expect(entries).toEqual([]);
    });
  });
}
