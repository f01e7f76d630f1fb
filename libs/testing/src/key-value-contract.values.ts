import { describe, expect, it } from '@jest/globals';
import { KeyValueSerializationError } from '@toskamesh/key-value';
import type { KeyValueContractContext } from './key-value-contract.context.js';

/** Every JSON type, as a value round-trips it. */
const JSON_VALUES: ReadonlyArray<[string, unknown]> = [
  ['object', { name: 'Ada', tags: ['x', 'y'], nested: { n: 1, ok: true, none: null } }],
  ['array', [1, 'two', { three: 3 }, [4], null, false]],
  ['string', 'hello'],
  ['non-ASCII string', 'héllo wörld 日本語 🚀 \u0000 "quoted" \\ slash'],
  ['empty string', ''],
  ['integer', 42],
  ['zero', 0],
  ['negative fraction', -1.25],
  ['large number', 1e300],
  ['true', true],
  ['false', false],
  ['null', null],
  ['empty object', {}],
  ['empty array', []],
];

/** Keys with characters that break naive URL, glob or separator handling. */
const AWKWARD_KEYS = [
  'a:b:c',
  'a/b/c',
  'with space',
  'per%20cent',
  'star*key',
  'q?[x]',
  'ключ-日本',
  'back\\slash',
];

/** get / set / delete, JSON values, serialization errors and unusual keys. */
export function describeValues(ctx: KeyValueContractContext): void {
  describe('get and set', () => {
    it.each(JSON_VALUES)('round-trips a %s', async (_label, value) => {
      const key = `${ctx.namespace('json')}value`;
      await ctx.set(key, value);
      expect(await ctx.store().get(key)).toEqual(value);
    });

    it('returns undefined for a key that was never set', async () => {
      expect(await ctx.store().get(`${ctx.namespace('missing')}nothing`)).toBeUndefined();
    });

    it('tells a stored null apart from a missing key', async () => {
      const key = `${ctx.namespace('null')}k`;
      await ctx.set(key, null);
      expect(await ctx.store().get(key)).toBeNull();
    });

    it('replaces the value when a key is set again', async () => {
      const key = `${ctx.namespace('overwrite')}k`;
      await ctx.set(key, { version: 1 });
      await ctx.set(key, ['second']);
      expect(await ctx.store().get(key)).toEqual(['second']);
    });

    it('keeps the stored value when the caller mutates the object afterwards', async () => {
      const key = `${ctx.namespace('copy')}k`;
      const value = { list: [1, 2] };
      await ctx.set(key, value);
      value.list.push(3);
      const first = await ctx.store().get<{ list: number[] }>(key);
      first?.list.push(4);
      expect(await ctx.store().get(key)).toEqual({ list: [1, 2] });
    });

    it.each(AWKWARD_KEYS)('stores, lists and deletes the key %j', async (suffix) => {
      const ns = ctx.namespace('awkward');
      const key = `${ns}${suffix}`;
      await ctx.set(key, { suffix });
      expect(await ctx.store().get(key)).toEqual({ suffix });
      expect(await ctx.store().keys(ns)).toEqual([key]);
      expect([...(await ctx.store().getMany([key])).keys()]).toEqual([key]);
      await ctx.store().delete(key);
      expect(await ctx.store().get(key)).toBeUndefined();
    });
  });

  describe('delete', () => {
    it('removes the key and reports that it existed', async () => {
      const key = `${ctx.namespace('delete')}k`;
      await ctx.set(key, 1);
      const existed = await ctx.store().delete(key);
      if (ctx.caps.deleteReportsExisted) expect(existed).toBe(true);
      expect(await ctx.store().get(key)).toBeUndefined();
    });

    it('reports false for a key that does not exist', async () => {
      const existed = await ctx.store().delete(`${ctx.namespace('delete')}never`);
      if (ctx.caps.deleteReportsExisted) expect(existed).toBe(false);
      else expect(typeof existed).toBe('boolean');
    });
  });

  describe('serialization', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const bad: ReadonlyArray<[string, unknown]> = [
      ['a function', () => 1],
      ['a function inside an object', { run: () => 1 }],
      ['a BigInt', 10n],
      ['a symbol', Symbol('s')],
      ['undefined', undefined],
      ['a cycle', cyclic],
      ['NaN', Number.NaN],
    ];

    it.each(bad)('rejects %s with KeyValueSerializationError and stores nothing', async (_label, value) => {
      const key = `${ctx.namespace('bad')}k`;
      ctx.track(key);
      const error = await ctx
        .store()
        .set(key, value)
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(KeyValueSerializationError);
      expect(error).toMatchObject({ code: 'MESH_KV_SERIALIZATION' });
      expect(await ctx.store().get(key)).toBeUndefined();
    });

    it('keeps the previous value when a replacement cannot be serialized', async () => {
      const key = `${ctx.namespace('bad')}keep`;
      await ctx.set(key, 'before');
      await expect(ctx.store().set(key, { n: 1n })).rejects.toBeInstanceOf(KeyValueSerializationError);
      expect(await ctx.store().get(key)).toBe('before');
    });
  });
}
