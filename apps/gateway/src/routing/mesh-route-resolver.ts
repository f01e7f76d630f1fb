import type { ResolvedStaticRoute } from '../config/resolved-gateway-options.js';
import { normalisedPath, type NormalisedPath } from './request-path.js';
import type { NoRoute, RouteMatch, RouteRejection } from './route-match.js';
import type { RouteResolver } from './route-resolver.js';

/** What a service name may hold, `[A-Za-z0-9._-]` (the registry's rule; safe in metrics labels and logs). */
const SERVICE_NAME_CHARS = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-') {
  SERVICE_NAME_CHARS[char.charCodeAt(0)] = 1;
}
const NO_ROUTE: NoRoute = Object.freeze({ kind: 'none' });

interface CompiledStaticRoute {
  readonly name: string;
  /** Starts and ends with `/`. */
  readonly prefix: string;
  /** `prefix` without its final `/`: the bare prefix path matches too. */
  readonly bare: string;
  /** Segments in `prefix`, to find where the rest starts in the still-encoded path. */
  readonly segments: number;
  readonly stripPrefix: boolean;
}

/**
 * The gateway's route table: static routes first (longest `pathPrefix` wins, matched on whole
 * segments), then `<routePrefix><service>/<rest>` to a mesh service.
 *
 * Matching uses the decoded path from {@link normalisedPath}; the upstream path is cut from the
 * still-encoded path so escapes in the rest reach the upstream as the client sent them, and the query
 * is appended unchanged. A static route at `/` catches everything, the route prefix included.
 */
export class MeshRouteResolver implements RouteResolver {
  /** Normalised route prefix: starts and ends with `/`. */
  readonly routePrefix: string;
  private readonly prefixSegments: number;
  private readonly staticRoutes: readonly CompiledStaticRoute[];

  constructor(routePrefix: string, staticRoutes: readonly ResolvedStaticRoute[]) {
    this.routePrefix = withSlashes(routePrefix);
    this.prefixSegments = segmentCount(this.routePrefix);
    this.staticRoutes = staticRoutes
      .map((route) => {
        const prefix = withSlashes(route.pathPrefix);
        return {
          name: route.name,
          prefix,
          bare: prefix.slice(0, -1),
          segments: segmentCount(prefix),
          stripPrefix: route.stripPrefix,
        };
      })
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Normalises `requestTarget` and routes it; see {@link resolveNormalised}. */
  resolve(requestTarget: string): RouteMatch | RouteRejection | NoRoute {
    const normalised = normalisedPath(requestTarget);
    return normalised.kind === 'rejected' ? normalised : this.resolveNormalised(normalised);
  }

  /** Routes a path the caller already normalised (so the server checks and parses a target once). */
  resolveNormalised(target: NormalisedPath): RouteMatch | RouteRejection | NoRoute {
    const { path } = target;
    for (const route of this.staticRoutes) {
      if (!underPrefix(path, route.prefix, route.bare)) continue;
      const upstreamPath = route.stripPrefix
        ? restFrom(target, route.segments) + target.query
        : target.rawPath + target.query;
      return { kind: 'static', route: route.name, upstreamPath };
    }
    return this.serviceRoute(target);
  }

  private serviceRoute(target: NormalisedPath): RouteMatch | RouteRejection | NoRoute {
    const { path } = target;
    const start = this.routePrefix.length;
    // `/api` and `/api/` name no service: not found, like any path outside the prefix.
    if (path.length <= start || !path.startsWith(this.routePrefix)) return NO_ROUTE;
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    if (!isServiceName(path, start, end)) {
      return {
        kind: 'rejected',
        status: 400,
        reason: 'the service name may only hold letters, digits, ".", "_" and "-"',
      };
    }
    let rest: string;
    // Nothing was decoded (the usual case): the decoded path's offsets hold in the raw one.
    if (target.rawPath === path) rest = slash < 0 ? '/' : path.slice(slash);
    else rest = restFrom(target, this.prefixSegments + 1);
    return { kind: 'service', service: path.slice(start, end), upstreamPath: rest + target.query };
  }
}

/** `/x` → `/x/`; blank → `/`. */
function withSlashes(prefix: string): string {
  let value = prefix.trim();
  if (!value.startsWith('/')) value = `/${value}`;
  return value.endsWith('/') ? value : `${value}/`;
}

function segmentCount(prefix: string): number {
  let count = 0;
  for (let i = 0; i < prefix.length; i += 1) if (prefix.charCodeAt(i) === 0x2f) count += 1;
  return count - 1;
}

function isServiceName(path: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i += 1) {
    const code = path.charCodeAt(i);
    if (code >= 128 || SERVICE_NAME_CHARS[code] !== 1) return false;
  }
  return true;
}

function underPrefix(path: string, prefix: string, bare: string): boolean {
  return path.startsWith(prefix) || path === bare;
}

/**
 * The still-encoded path from the `/` that ends segment number `segments` (0-based), or `/` when the
 * path has no more. The encoded and decoded paths hold their `/` at the same segment positions
 * (encoded slashes are refused), so counting `/` in the raw path finds the same place.
 */
function restFrom(target: NormalisedPath, segments: number): string {
  const raw = target.rawPath;
  let at = 0;
  for (let n = 0; n < segments; n += 1) {
    at = raw.indexOf('/', at + 1);
    if (at < 0) return '/';
  }
  return segments === 0 ? raw : raw.slice(at);
}
