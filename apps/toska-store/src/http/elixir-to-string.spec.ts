import { describe, expect, it } from '@jest/globals';
import { elixirFloatToString, elixirToString } from './elixir-to-string.js';

describe('elixir-to-string', () => {
  describe('elixirToString', () => {
    it.each([
      [null, undefined, 'nil'],
      [true, undefined, 'true'],
      [false, undefined, 'false'],
      [5, '5', '5'],
      [0, '-0', '0'],
      [1e21, '1000000000000000000000', '1000000000000000000000'],
      [1000, '1e3', '1.0e3'],
      [1000, '1000.0', '1.0e3'],
      [1.5, '1.5', '1.5'],
    ])('renders %j (source %j) as %j', (value, source, text) => {
      expect(elixirToString(value, source)).toBe(text);
    });
  });

  describe('elixirFloatToString', () => {
    it.each([
      [0, '0.0'],
      [1, '1.0'],
      [100, '100.0'],
      [1000, '1.0e3'],
      [1234.5, '1234.5'],
      [0.1, '0.1'],
      [0.001, '0.001'],
      [0.0001, '1.0e-4'],
      [1.0e-10, '1.0e-10'],
      [-2.5, '-2.5'],
      [123456789.123, '123456789.123'],
      [2 ** 53, '9.007199254740992e15'],
    ])('writes %d as Erlang fwrite_g does: %s', (value, text) => {
      expect(elixirFloatToString(value)).toBe(text);
    });
  });
});
