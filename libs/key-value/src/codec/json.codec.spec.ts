import { describe, expect, it } from '@jest/globals';
import { KeyValueSerializationError } from '../errors/key-value-serialization.error.js';
import { decodeValue, encodeValue } from './json.codec.js';

function failure(run: () => unknown): KeyValueSerializationError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyValueSerializationError) return error;
    throw error;
  }
  throw new Error('expected a KeyValueSerializationError');
}

describe('encodeValue', () => {
  it('writes plain JSON text', () => {
    expect(encodeValue('k', { a: [1, 'x', null, true] })).toBe('{"a":[1,"x",null,true]}');
    expect(encodeValue('k', 'héllo')).toBe('"héllo"');
    expect(encodeValue('k', null)).toBe('null');
  });

  it('leaves out undefined object properties like JSON.stringify', () => {
    expect(encodeValue('k', { a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('uses toJSON (a Date becomes its ISO string)', () => {
    expect(encodeValue('k', { at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /"k" is undefined/],
    ['a function', () => 1, /contains a function/],
    ['a nested function', { deep: { run: () => 1 } }, /contains a function \(at "run"\)/],
    ['a symbol', Symbol('s'), /contains a symbol/],
    ['a BigInt', { n: 1n }, /contains a BigInt \(at "n"\)/],
    ['NaN', [Number.NaN], /contains the number NaN/],
    ['Infinity', { x: Number.POSITIVE_INFINITY }, /contains the number Infinity/],
    ['undefined in an array', [1, undefined], /undefined in an array/],
    ['a Map', { m: new Map() }, /contains a Map/],
    ['a Set', new Set([1]), /contains a Set/],
  ])('refuses %s with KeyValueSerializationError', (_label, value, message) => {
    const error = failure(() => encodeValue('k', value));
    expect(error.code).toBe('MESH_KV_SERIALIZATION');
    expect(error.key).toBe('k');
    expect(error.message).toMatch(message);
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { n: 1 };
    expect(encodeValue('k', { a: shared, b: [shared, shared] })).toBe('{"a":{"n":1},"b":[{"n":1},{"n":1}]}');
  });

  it('checks what toJSON returns, as JSON.stringify sees it', () => {
    const value = { inner: { toJSON: () => new Map() } };
    expect(failure(() => encodeValue('k', value)).message).toMatch(/contains a Map \(at "inner"\)/);
  });

  it('finds a problem deep inside arrays of objects', () => {
    const value = { list: [{ ok: 1 }, { bad: [1, 2, Number.NaN] }] };
    expect(failure(() => encodeValue('k', value)).message).toMatch(/contains the number NaN \(at "2"\)/);
  });

  it('refuses a cycle and keeps the TypeError as cause', () => {
    const value: Record<string, unknown> = {};
    value['self'] = value;
    const error = failure(() => encodeValue('loop', value));
    expect(error.message).toMatch(/"loop" contains a cycle/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe('decodeValue', () => {
  it('parses stored JSON', () => {
    expect(decodeValue('k', '{"a":[1]}')).toEqual({ a: [1] });
  });

  it('reports text that is not JSON as KeyValueSerializationError', () => {
    const error = failure(() => decodeValue('k', 'not json'));
    expect(error.message).toMatch(/"k" is stored as text that is not JSON/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});
