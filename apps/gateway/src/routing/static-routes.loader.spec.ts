import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { loadStaticRoutes, resolveStaticRoutes } from './static-routes.loader.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function thrown(run: () => unknown): MeshConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MeshConfigError);
    return error as MeshConfigError;
  }
  throw new Error('expected a MeshConfigError');
}

describe('loadStaticRoutes', () => {
  it('reads the routes: list with defaults applied', () => {
    const path = file(
      'routes.yaml',
      [
        'routes:',
        '  - pathPrefix: /legacy',
        '    upstreams: [http://127.0.0.1:8080/base/, https://legacy.example]',
        '  - name: billing',
        '    pathPrefix: /billing/',
        '    upstreams:',
        '      - http://10.0.0.1:9000',
        '    stripPrefix: false',
        '    strategy: least_connections',
      ].join('\n'),
    );
    const routes = loadStaticRoutes(path);
    expect(routes).toHaveLength(2);
    expect(routes[0]).toMatchObject({
      name: '/legacy/',
      pathPrefix: '/legacy/',
      stripPrefix: true,
      strategy: 'RoundRobin',
    });
    expect(routes[0]!.upstreams.map((url) => url.href)).toEqual([
      'http://127.0.0.1:8080/base',
      'https://legacy.example/',
    ]);
    expect(routes[1]).toMatchObject({
      name: 'billing',
      pathPrefix: '/billing/',
      stripPrefix: false,
      strategy: 'LeastConnections',
    });
  });

  it('reads an empty file as no routes', () => {
    expect(loadStaticRoutes(file('empty.yaml', ''))).toEqual([]);
    expect(loadStaticRoutes(file('null-routes.yaml', 'routes:\n'))).toEqual([]);
  });

  it('names the file when it cannot be read', () => {
    const error = thrown(() => loadStaticRoutes(join(dir, 'missing.yaml')));
    expect(error.message).toContain('staticRoutesFile');
    expect(error.message).toContain('missing.yaml');
  });

  it('names the file when it is not YAML', () => {
    const path = file('broken.yaml', 'routes:\n  - pathPrefix: [unclosed\n');
    expect(thrown(() => loadStaticRoutes(path)).message).toContain('broken.yaml');
  });

  it('names the file and the entry of an invalid route', () => {
    const path = file(
      'bad-entry.yaml',
      'routes:\n  - pathPrefix: /ok\n    upstreams: [http://a]\n  - pathPrefix: nope\n',
    );
    const error = thrown(() => loadStaticRoutes(path));
    expect(error.message).toContain(`${path}: routes[1].pathPrefix`);
    expect(error.message).toContain("must start with '/'");
  });
});

describe('resolveStaticRoutes', () => {
  const ok = { pathPrefix: '/a', upstreams: ['http://127.0.0.1:1'] };

  it('accepts the list itself, the document, or nothing', () => {
    expect(resolveStaticRoutes([ok], 'x')).toHaveLength(1);
    expect(resolveStaticRoutes({ routes: [ok] }, 'x')).toHaveLength(1);
    expect(resolveStaticRoutes(undefined, 'x')).toEqual([]);
    expect(resolveStaticRoutes(null, 'x')).toEqual([]);
  });

  it('refuses a document without a routes list', () => {
    expect(thrown(() => resolveStaticRoutes({ route: [ok] }, 'r.yaml')).message).toContain('routes:');
    expect(thrown(() => resolveStaticRoutes({ routes: 'x' }, 'r.yaml')).message).toContain('r.yaml: routes');
    expect(thrown(() => resolveStaticRoutes('routes', 'r.yaml')).message).toContain('r.yaml');
  });

  it('refuses two routes with the same name', () => {
    const error = thrown(() =>
      resolveStaticRoutes(
        [
          { ...ok, name: 'x' },
          { ...ok, pathPrefix: '/b', name: 'x' },
        ],
        'r.yaml',
      ),
    );
    expect(error.message).toContain('r.yaml: routes[1].name');
    expect(error.message).toContain('routes[0]');
  });

  it('refuses two routes with the same prefix once normalised', () => {
    const error = thrown(() =>
      resolveStaticRoutes([ok, { ...ok, pathPrefix: '/a/', name: 'other' }], 'r.yaml'),
    );
    expect(error.message).toContain('r.yaml: routes[1].pathPrefix');
  });
});
