import {
  LOAD_BALANCING_STRATEGIES,
  MeshConfigError,
  type LoadBalancingStrategyName,
} from '@toskamesh/common';
import { parseStrategyName } from '@toskamesh/load-balancing';
import type { ResolvedStaticRoute } from '../config/resolved-gateway-options.js';
import { normalisedPath } from './request-path.js';

const KEYS = ['name', 'pathPrefix', 'upstreams', 'stripPrefix', 'strategy'] as const;
const DEFAULT_STRATEGY: LoadBalancingStrategyName = 'RoundRobin';
const TRAILING_SLASHES = /\/+$/;

/**
 * Checks one `routes:` entry and applies its defaults (`name` = the path prefix, `stripPrefix` true,
 * `strategy` RoundRobin). `where` (`routes.yaml: routes[2]`) prefixes every error's key.
 *
 * The path prefix is stored decoded and normalised (`/legacy` → `/legacy/`), as the resolver matches
 * it against decoded paths. Upstream base paths lose their trailing `/` (`http://h/base/` → `/base`,
 * `http://h/` keeps `/`), so appending an upstream path that starts with `/` never doubles it.
 */
export function resolveStaticRoute(entry: unknown, where: string): ResolvedStaticRoute {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new MeshConfigError(where, 'must be a mapping', {
      value: entry,
      allowed: '`- pathPrefix: /legacy/` with `upstreams: [http://host:port]`',
    });
  }
  const record = entry as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new MeshConfigError(`${where}.${key}`, 'is not a static route setting', {
        allowed: KEYS.join(', '),
      });
    }
  }
  const pathPrefix = checkPathPrefix(record['pathPrefix'], `${where}.pathPrefix`);
  return {
    name: checkName(record['name'], pathPrefix, `${where}.name`),
    pathPrefix,
    upstreams: checkUpstreams(record['upstreams'], `${where}.upstreams`),
    stripPrefix: checkStripPrefix(record['stripPrefix'], `${where}.stripPrefix`),
    strategy: checkStrategy(record['strategy'], `${where}.strategy`),
  };
}

function checkPathPrefix(value: unknown, key: string): string {
  const allowed = "a path starting with '/' without query, dot segments or encoded slashes, e.g. /legacy/";
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new MeshConfigError(key, value === undefined ? 'is required' : "must start with '/'", {
      ...(value === undefined ? {} : { value }),
      allowed,
    });
  }
  if (value.includes('?')) throw new MeshConfigError(key, 'must not hold a query', { value, allowed });
  const normalised = normalisedPath(value);
  if (normalised.kind === 'rejected') {
    throw new MeshConfigError(key, `is not a safe path: ${normalised.reason}`, { value, allowed });
  }
  return normalised.path.endsWith('/') ? normalised.path : `${normalised.path}/`;
}

function checkName(value: unknown, pathPrefix: string, key: string): string {
  if (value === undefined) return pathPrefix;
  if (typeof value !== 'string' || value.trim() === '' || hasControlCharacter(value)) {
    throw new MeshConfigError(key, 'must be a non-empty text without control characters', {
      value,
      allowed: 'a short unique name such as legacy-billing (defaults to the path prefix)',
    });
  }
  return value.trim();
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function checkUpstreams(value: unknown, key: string): URL[] {
  const allowed = 'a non-empty list of http(s)://host:port[/base] URLs';
  if (!Array.isArray(value) || value.length === 0) {
    throw new MeshConfigError(key, value === undefined ? 'is required' : 'must be a non-empty list', {
      ...(value === undefined ? {} : { value }),
      allowed,
    });
  }
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const url = checkUpstream(item, `${key}[${index}]`);
    if (seen.has(url.href)) {
      throw new MeshConfigError(`${key}[${index}]`, 'repeats an upstream of the same route', {
        value: item,
        allowed,
      });
    }
    seen.add(url.href);
    return url;
  });
}

function checkUpstream(item: unknown, key: string): URL {
  const allowed = 'an http(s)://host:port[/base] URL without credentials, query or fragment';
  const url = typeof item === 'string' && URL.canParse(item) ? new URL(item) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new MeshConfigError(key, 'must be an http or https URL', { value: item, allowed });
  }
  if (url.username !== '' || url.password !== '') {
    throw new MeshConfigError(key, 'must not hold credentials', { allowed });
  }
  if (url.search !== '' || url.hash !== '' || (item as string).includes('?')) {
    throw new MeshConfigError(key, 'must not hold a query or fragment', { value: item, allowed });
  }
  url.pathname = url.pathname.replace(TRAILING_SLASHES, '') || '/';
  return url;
}

function checkStripPrefix(value: unknown, key: string): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    throw new MeshConfigError(key, 'must be true or false', { value, allowed: 'true, false' });
  }
  return value;
}

function checkStrategy(value: unknown, key: string): LoadBalancingStrategyName {
  if (value === undefined) return DEFAULT_STRATEGY;
  const strategy = typeof value === 'string' ? parseStrategyName(value) : undefined;
  if (!strategy) {
    throw new MeshConfigError(key, 'names no load-balancing strategy', {
      value,
      allowed: LOAD_BALANCING_STRATEGIES.join(', '),
    });
  }
  return strategy;
}
