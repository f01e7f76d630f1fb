import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { resolveConsulOptions } from './consul.options.js';

describe('resolveConsulOptions', () => {
  it('fills in the defaults', () => {
    const resolved = resolveConsulOptions({});
    expect(resolved.url.href).toBe('http://127.0.0.1:8500/');
    expect(resolved).toMatchObject({
      timeoutMs: 5_000,
      deregisterCriticalAfterMs: 60_000,
      blockingWaitMs: 30_000,
    });
    expect(resolved).not.toHaveProperty('token');
  });

  it('drops a trailing /v1 from the URL and keeps a path prefix', () => {
    expect(resolveConsulOptions({ url: 'https://consul.example/proxy/v1/' }).url.pathname).toBe('/proxy');
  });

  it.each([
    [{ url: 'not a url' }, 'consul.url'],
    [{ url: 'ftp://host' }, 'consul.url'],
    [{ timeoutMs: 0 }, 'consul.timeoutMs'],
    [{ blockingWaitMs: 700_000 }, 'consul.blockingWaitMs'],
    [{ deregisterCriticalAfterMs: 1.5 }, 'consul.deregisterCriticalAfterMs'],
    [{ token: '' }, 'consul.token'],
  ])('throws MeshConfigError naming the key for %j', (options, key) => {
    expect(() => resolveConsulOptions(options)).toThrow(MeshConfigError);
    expect(() => resolveConsulOptions(options)).toThrow(key);
  });

  it('never shows the token in the error', () => {
    expect(() => resolveConsulOptions({ token: 'secret\nline' })).toThrow(/<redacted>/);
  });
});
