import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { handleClientError } from './client-error.js';
import { wwwAuthenticate } from './gateway-problems.js';
import { NestPaths } from './nest-paths.js';

describe(NestPaths.name, () => {
  const paths = new NestPaths('/metrics', '/admin');

  describe('matches', () => {
    it.each(['/health', '/health/ready', '/health?x=1', '/metrics', '/admin', '/admin/routes'])(
      'takes %s',
      (url) => {
        expect(paths.matches(url)).toBe(true);
      },
    );

    it.each(['/healthz', '/api/health', '/metricsx', '/administrator', '/', '//health'])(
      'leaves %s to the proxy',
      (url) => {
        expect(paths.matches(url)).toBe(false);
      },
    );

    it('leaves the admin path to the proxy when the admin API is off', () => {
      const off = new NestPaths('/metrics', undefined);
      expect(off.matches('/admin/routes')).toBe(false);
      expect(off.isAdmin('/admin/routes')).toBe(false);
    });
  });
});

describe('wwwAuthenticate', () => {
  it('names no error when credentials were missing, and the reason when they were bad', () => {
    expect(wwwAuthenticate(401, 'missing credentials', true)).toBe('Bearer realm="toskamesh"');
    expect(wwwAuthenticate(401, 'token expired', false)).toBe(
      'Bearer realm="toskamesh", error="invalid_token", error_description="token expired"',
    );
    expect(wwwAuthenticate(403, 'needs "admin"', false)).toBe(
      `Bearer realm="toskamesh", error="insufficient_scope", error_description="needs 'admin'"`,
    );
  });
});

describe('handleClientError', () => {
  function answer(code: string): string {
    const socket = new PassThrough();
    let written = '';
    socket.on('data', (chunk: Buffer) => (written += chunk.toString()));
    handleClientError(Object.assign(new Error('parse'), { code }), socket);
    return written;
  }

  it('answers 431 to an oversized head and 400 to anything else unparsable', () => {
    expect(answer('HPE_HEADER_OVERFLOW')).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    const bad = answer('HPE_INVALID_HEADER_TOKEN');
    expect(bad).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(bad).toContain('Connection: close');
    expect(bad).toContain('"type":"https://toskamesh.dev/problems/malformed-request"');
  });

  it('writes nothing to a reset connection', () => {
    expect(answer('ECONNRESET')).toBe('');
  });
});
