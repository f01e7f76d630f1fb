import { readFileSync } from 'node:fs';
import { LOAD_BALANCING_STRATEGIES, MeshConfigError, deferredRequire } from '@toskamesh/common';
import type * as Yaml from 'yaml';
import type { ResolvedStaticRoute } from '../config/resolved-gateway-options.js';
import { resolveStaticRoute } from './static-route.entry.js';

/** The YAML parser, required only when a routes file is configured. */
const yaml = deferredRequire<typeof Yaml>(import.meta.url, 'yaml');

/**
 * Reads the static routes YAML file (`routes:` list, see `StaticRouteDefinition`) and checks every
 * entry. Throws {@link MeshConfigError} naming the file, the entry and what to fix; an empty file means
 * no static routes.
 */
export function loadStaticRoutes(file: string): ResolvedStaticRoute[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MeshConfigError('staticRoutesFile', 'names a file that cannot be read', {
      value: file,
      allowed: 'a readable YAML file with a `routes:` list',
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = yaml().parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new MeshConfigError(file, `is not valid YAML: ${detail}`, { cause: error });
  }
  return resolveStaticRoutes(document, file);
}

/**
 * Checks static route definitions and applies their defaults. `definitions` is the parsed document
 * (`{ routes: [...] }`), the list itself, or nothing (no routes). `source` names where they came from
 * (the file) in error messages. Names and path prefixes must be unique.
 */
export function resolveStaticRoutes(definitions: unknown, source: string): ResolvedStaticRoute[] {
  const list = routeList(definitions, source);
  const routes = list.map((entry, index) => resolveStaticRoute(entry, `${source}: routes[${index}]`));
  const names = new Map<string, number>();
  const prefixes = new Map<string, number>();
  routes.forEach((route, index) => {
    const where = `${source}: routes[${index}]`;
    const sameName = names.get(route.name);
    if (sameName !== undefined) {
      throw new MeshConfigError(`${where}.name`, `repeats the name of routes[${sameName}]`, {
        value: route.name,
        allowed: 'a name no other route uses (it keys metrics and the admin API)',
      });
    }
    const samePrefix = prefixes.get(route.pathPrefix);
    if (samePrefix !== undefined) {
      throw new MeshConfigError(`${where}.pathPrefix`, `repeats the path prefix of routes[${samePrefix}]`, {
        value: route.pathPrefix,
        allowed: 'one route per path prefix; list several upstreams in that route instead',
      });
    }
    names.set(route.name, index);
    prefixes.set(route.pathPrefix, index);
  });
  return routes;
}

function routeList(definitions: unknown, source: string): unknown[] {
  if (definitions === undefined || definitions === null) return [];
  if (Array.isArray(definitions)) return definitions;
  if (typeof definitions === 'object' && 'routes' in definitions) {
    const routes = (definitions as { routes: unknown }).routes;
    if (routes === null || routes === undefined) return [];
    if (Array.isArray(routes)) return routes;
    throw new MeshConfigError(`${source}: routes`, 'must be a list of routes', {
      value: routes,
      allowed: '`routes:` followed by `- pathPrefix: ...` entries',
    });
  }
  throw new MeshConfigError(source, 'must hold a `routes:` list', {
    value: definitions,
    allowed: `routes: [{ pathPrefix, upstreams, stripPrefix, strategy (${LOAD_BALANCING_STRATEGIES.join(', ')}) }]`,
  });
}
