import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { compilePathPatterns } from './path-pattern.js';

describe('compilePathPatterns', () => {
  it('matches exact patterns only exactly', () => {
    const matches = compilePathPatterns(['/health', '/metrics']);
    expect(matches('/health')).toBe(true);
    expect(matches('/metrics')).toBe(true);
    expect(matches('/health/')).toBe(false);
    expect(matches('/healthz')).toBe(false);
    expect(matches('/Health')).toBe(false);
  });

  it('matches one whole segment with *', () => {
    const matches = compilePathPatterns(['/api/*/health']);
    expect(matches('/api/orders/health')).toBe(true);
    expect(matches('/api//health')).toBe(false);
    expect(matches('/api/health')).toBe(false);
    expect(matches('/api/a/b/health')).toBe(false);
  });

  it('matches any rest, including none, with a final **', () => {
    const matches = compilePathPatterns(['/health/**']);
    expect(matches('/health')).toBe(true);
    expect(matches('/health/')).toBe(true);
    expect(matches('/health/live')).toBe(true);
    expect(matches('/health/live/deep')).toBe(true);
    expect(matches('/healthz')).toBe(false);
    expect(matches('/api/health')).toBe(false);
  });

  it('combines exact and wildcard patterns', () => {
    const matches = compilePathPatterns(['/metrics', '/api/public/**', '/api/*/docs']);
    expect(matches('/metrics')).toBe(true);
    expect(matches('/api/public/a/b')).toBe(true);
    expect(matches('/api/orders/docs')).toBe(true);
    expect(matches('/api/orders/secret')).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    const matches = compilePathPatterns(['/a.b/*', '/c+d']);
    expect(matches('/a.b/x')).toBe(true);
    expect(matches('/axb/x')).toBe(false);
    expect(matches('/c+d')).toBe(true);
    expect(matches('/ccd')).toBe(false);
  });

  it('matches nothing without patterns', () => {
    expect(compilePathPatterns([])('/health')).toBe(false);
  });

  it('matches everything with /**', () => {
    const matches = compilePathPatterns(['/**']);
    expect(matches('/')).toBe(true);
    expect(matches('/a/b')).toBe(true);
  });

  it.each([
    ['health', 'starting with "/"'],
    ['/a/**/b', '"**" only as its last segment'],
    ['/a*b', '"*" only as a whole segment'],
  ])('refuses %s', (pattern, problem) => {
    expect(() => compilePathPatterns(['/ok', pattern])).toThrow(MeshConfigError);
    expect(() => compilePathPatterns(['/ok', pattern])).toThrow(problem);
    expect(() => compilePathPatterns(['/ok', pattern])).toThrow('security.publicPaths[1]');
  });
});
