import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { resolveStaticRoute } from './static-route.entry.js';

const base = { pathPrefix: '/legacy', upstreams: ['http://127.0.0.1:8080'] };

function problem(entry: unknown): string {
  try {
    resolveStaticRoute(entry, 'routes.yaml: routes[3]');
  } catch (error) {
    expect(error).toBeInstanceOf(MeshConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a MeshConfigError');
}

describe('resolveStaticRoute', () => {
  it('applies the defaults', () => {
    const route = resolveStaticRoute(base, 'w');
    expect(route).toMatchObject({
      name: '/legacy/',
      pathPrefix: '/legacy/',
      stripPrefix: true,
      strategy: 'RoundRobin',
    });
    expect(route.upstreams.map((url) => url.href)).toEqual(['http://127.0.0.1:8080/']);
  });

  it('keeps upstream base paths without their trailing slash', () => {
    const route = resolveStaticRoute({ ...base, upstreams: ['https://h.example:8443/v1/api//'] }, 'w');
    expect(route.upstreams[0]!.pathname).toBe('/v1/api');
    expect(route.upstreams[0]!.port).toBe('8443');
  });

  it('stores the prefix decoded and with runs of slashes collapsed', () => {
    expect(resolveStaticRoute({ ...base, pathPrefix: '//caf%C3%A9//x' }, 'w').pathPrefix).toBe('/café/x/');
    expect(resolveStaticRoute({ ...base, pathPrefix: '/' }, 'w').pathPrefix).toBe('/');
  });

  it('reads strategy names as the load-balancing library does', () => {
    expect(resolveStaticRoute({ ...base, strategy: 'p2c' }, 'w').strategy).toBe('PowerOfTwoChoices');
    expect(resolveStaticRoute({ ...base, strategy: 'IPHash' }, 'w').strategy).toBe('ConsistentHash');
  });

  it.each([
    ['a string entry', '/legacy', 'must be a mapping'],
    ['a list entry', [base], 'must be a mapping'],
    ['a missing prefix', { upstreams: base.upstreams }, 'routes[3].pathPrefix" is required'],
    ['a relative prefix', { ...base, pathPrefix: 'legacy' }, "must start with '/'"],
    ['a non-string prefix', { ...base, pathPrefix: 7 }, "must start with '/'"],
    ['a prefix with a query', { ...base, pathPrefix: '/a?b' }, 'must not hold a query'],
    ['a prefix with a dot segment', { ...base, pathPrefix: '/a/../b' }, 'is not a safe path'],
    ['a prefix with an encoded slash', { ...base, pathPrefix: '/a%2fb' }, 'is not a safe path'],
    ['missing upstreams', { pathPrefix: '/a' }, 'routes[3].upstreams" is required'],
    ['empty upstreams', { ...base, upstreams: [] }, 'must be a non-empty list'],
    ['upstreams as a string', { ...base, upstreams: 'http://a' }, 'must be a non-empty list'],
    ['a non-URL upstream', { ...base, upstreams: ['not a url'] }, 'routes[3].upstreams[0]" must be an http'],
    ['a ftp upstream', { ...base, upstreams: ['ftp://a'] }, 'must be an http or https URL'],
    ['a non-string upstream', { ...base, upstreams: [80] }, 'must be an http or https URL'],
    ['an upstream with credentials', { ...base, upstreams: ['http://u:p@a'] }, 'must not hold credentials'],
    ['an upstream with a query', { ...base, upstreams: ['http://a/?x=1'] }, 'must not hold a query'],
    ['an upstream with an empty query', { ...base, upstreams: ['http://a/?'] }, 'must not hold a query'],
    ['an upstream with a fragment', { ...base, upstreams: ['http://a/#x'] }, 'must not hold a query'],
    ['a repeated upstream', { ...base, upstreams: ['http://a/', 'http://a'] }, 'upstreams[1]" repeats'],
    ['a non-boolean stripPrefix', { ...base, stripPrefix: 'yes' }, 'must be true or false'],
    ['an unknown strategy', { ...base, strategy: 'Fastest' }, 'names no load-balancing strategy'],
    ['a blank name', { ...base, name: ' ' }, 'routes[3].name'],
    ['a name with a control character', { ...base, name: 'a\nb' }, 'routes[3].name'],
    [
      'an unknown key',
      { ...base, path_prefix: '/x' },
      'routes[3].path_prefix" is not a static route setting',
    ],
  ])('refuses %s', (_label, entry, expected) => {
    const message = problem(entry);
    expect(message).toContain(expected);
    expect(message).toContain('routes.yaml: routes[3]');
  });

  it('does not echo upstream credentials', () => {
    expect(problem({ ...base, upstreams: ['http://user:secret@a'] })).not.toContain('secret');
  });

  it('lists the valid strategies when the name is unknown', () => {
    expect(problem({ ...base, strategy: 'Fastest' })).toContain('PowerOfTwoChoices');
  });
});
