import { describe, expect, it } from '@jest/globals';
import { isRouteRejection, normalisedPath } from './request-path.js';

describe('normalisedPath', () => {
  describe('accepted targets', () => {
    it.each([
      ['/api/svc/x', '/api/svc/x', '/api/svc/x', ''],
      ['/', '/', '/', ''],
      ['/api/svc/x?a=1&b=%2F..', '/api/svc/x', '/api/svc/x', '?a=1&b=%2F..'],
      ['/api/svc/x?', '/api/svc/x', '/api/svc/x', '?'],
      ['/api/svc/a%20b', '/api/svc/a b', '/api/svc/a%20b', ''],
      ['/api/svc/caf%C3%A9', '/api/svc/café', '/api/svc/caf%C3%A9', ''],
      ['/api/%73vc/x', '/api/svc/x', '/api/%73vc/x', ''],
      ['/api/svc/file%2etxt', '/api/svc/file.txt', '/api/svc/file%2etxt', ''],
      ['/api/svc/...', '/api/svc/...', '/api/svc/...', ''],
      ['/api/svc/.well-known/x', '/api/svc/.well-known/x', '/api/svc/.well-known/x', ''],
      ['/api/svc/a..b/', '/api/svc/a..b/', '/api/svc/a..b/', ''],
      ['/api/svc/a;b=1', '/api/svc/a;b=1', '/api/svc/a;b=1', ''],
      ['/api/svc/100%25', '/api/svc/100%', '/api/svc/100%25', ''],
    ])('%s → path %s', (target, path, rawPath, query) => {
      expect(normalisedPath(target)).toEqual({ kind: 'path', path, rawPath, query });
    });

    it('treats runs of slashes as one in both the decoded and the raw path', () => {
      expect(normalisedPath('//api///svc//a%20b//?q=//')).toEqual({
        kind: 'path',
        path: '/api/svc/a b/',
        rawPath: '/api/svc/a%20b/',
        query: '?q=//',
      });
    });

    it('keeps the query byte for byte, encoded traversal tricks included', () => {
      const result = normalisedPath('/api/svc/x?next=..%2f..%2fadmin&x=%zz');
      expect(result).toMatchObject({ kind: 'path', query: '?next=..%2f..%2fadmin&x=%zz' });
    });
  });

  describe('rejected targets', () => {
    it.each([
      // dot segments, raw and encoded in every mix
      ['/api/svc/../other', "'..' segment"],
      ['/api/svc/./x', "'..' segment"],
      ['/api/svc/..', "'..' segment"],
      ['/api/svc/.', "'..' segment"],
      ['/api/..', "'..' segment"],
      ['/..', "'..' segment"],
      ['/api/svc/%2e%2e/x', "'..' segment"],
      ['/api/svc/%2E%2e/x', "'..' segment"],
      ['/api/svc/%2E%2E/x', "'..' segment"],
      ['/api/svc/.%2e/x', "'..' segment"],
      ['/api/svc/%2e./x', "'..' segment"],
      ['/api/svc/%2e/x', "'..' segment"],
      ['/api/%2e%2e/x', "'..' segment"],
      ['/api/svc//../x', "'..' segment"],
      ['/api/svc/..;/admin', "'..' segment"],
      ['/api/svc/.;x/admin', "'..' segment"],
      ['/api/svc/%2e%2e;jsessionid=1/x', "'..' segment"],
      // encoded separators
      ['/api/svc/a%2fb', "encoded '/'"],
      ['/api/svc/a%2Fb', "encoded '/'"],
      ['/api/svc%2f..%2fother/x', "encoded '/'"],
      ['/api/svc/a%5cb', "encoded '/'"],
      ['/api/svc/a%5C..%5Cx', "encoded '/'"],
      ['/api/svc/%252e%252e/x', 'double-encoded'],
      ['/api/svc/a%252Fb', 'double-encoded'],
      ['/api/svc/a%255cb', 'double-encoded'],
      // backslash, control characters
      ['/api/svc/a\\b', 'backslash'],
      ['/api/svc/..\\x', 'backslash'],
      ['/api/svc/%00', 'control'],
      ['/api/svc/a%0d%0aSet-Cookie:x', 'control'],
      ['/api/svc/%7f', 'control'],
      ['/api/svc/a\u0000b', 'not percent-encoded'],
      ['/api/svc/a b', 'not percent-encoded'],
      ['/api/svc/caf\u00e9', 'not percent-encoded'],
      ['/api/svc/x?a=\r\nb', 'not percent-encoded'],
      // bad encoding
      ['/api/svc/%zz', 'invalid percent-encoding'],
      ['/api/svc/%', 'invalid percent-encoding'],
      ['/api/svc/%2', 'invalid percent-encoding'],
      ['/api/svc/%g0', 'invalid percent-encoding'],
      ['/api/svc/%c3%28', 'not valid UTF-8'],
      ['/api/svc/%ff', 'not valid UTF-8'],
      ['/api/svc/%c0%ae%c0%ae/x', 'not valid UTF-8'],
      ['/api/svc/%ed%a0%80', 'not valid UTF-8'],
      // target forms
      ['http://x/..', 'origin-form'],
      ['http://evil.example/api/svc/x', 'origin-form'],
      ['api/svc/x', 'origin-form'],
      ['', 'origin-form'],
      ['*', "'*'"],
      ['/api/svc/x#frag', 'fragment'],
      ['/api/svc/x?y=1#frag', 'fragment'],
    ])('%j is refused (%s)', (target, reasonPart) => {
      const result = normalisedPath(target);
      expect(result).toMatchObject({ kind: 'rejected', status: 400 });
      if (!isRouteRejection(result)) return;
      expect(result.reason).toContain(reasonPart);
    });
  });

  describe('isRouteRejection', () => {
    it('tells a refusal from a path', () => {
      expect(isRouteRejection(normalisedPath('/x'))).toBe(false);
      expect(isRouteRejection(normalisedPath('/../x'))).toBe(true);
    });
  });
});
