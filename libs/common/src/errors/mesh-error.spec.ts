import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from './mesh-config.error.js';
import { MeshError, isMeshError } from './mesh-error.js';
import { MeshTimeoutError } from './mesh-timeout.error.js';

describe(MeshError.name, () => {
  describe('instanceof', () => {
    it('recognises an error from another copy of the package by its global brand', () => {
      const foreign = new (class extends Error {})('elsewhere');
      Object.defineProperty(foreign, Symbol.for('toskamesh.error'), { value: true });
      expect(foreign instanceof MeshError).toBe(true);
      expect(isMeshError(foreign)).toBe(true);
    });

    it('keeps subclass checks on the prototype chain', () => {
      const timeout = new MeshTimeoutError('call', 10);
      expect(timeout instanceof MeshTimeoutError).toBe(true);
      expect(timeout instanceof MeshConfigError).toBe(false);
      expect(new Error('plain') instanceof MeshError).toBe(false);
    });
  });

  describe('from', () => {
    it('wraps a foreign error and keeps it as the cause', () => {
      const cause = new TypeError('boom');
      const wrapped = MeshError.from(cause);
      expect(wrapped.code).toBe('MESH_COMMON_UNEXPECTED');
      expect(wrapped.message).toBe('boom');
      expect(wrapped.cause).toBe(cause);
    });

    it('returns a MeshError unchanged', () => {
      const original = new MeshTimeoutError('call', 5);
      expect(MeshError.from(original)).toBe(original);
    });
  });

  it('serialises code, retryable and details but not the cause', () => {
    const error = new MeshTimeoutError('lookup', 250, new Error('secret internals'));
    expect(error.toJSON()).toEqual({
      name: 'MeshTimeoutError',
      code: 'MESH_COMMON_TIMEOUT',
      message: 'lookup timed out after 250 ms',
      retryable: true,
      details: { operation: 'lookup', timeoutMs: 250 },
    });
  });
});

describe(MeshConfigError.name, () => {
  it('names the key, shows the value and what is allowed', () => {
    const error = new MeshConfigError('Mesh__Service__Port', 'must be a whole number', {
      value: 'abc',
      allowed: '0..65535',
    });
    expect(error.message).toBe(
      'Configuration "Mesh__Service__Port" must be a whole number (got "abc"). Allowed: 0..65535.',
    );
    expect(error.code).toBe('MESH_COMMON_CONFIG_INVALID');
  });
});
