/** Label of requests no route matched (404s, scanners): one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const MIDDLEWARE_ROUTE = Symbol.for('toskamesh.telemetry.middlewareRoute');

/** The parts of an Express (or Fastify) request that tell which route matched. */
export interface RoutedRequest {
  /** Express: set by the router once a route matched; `path` is its pattern (`/items/:id`). */
  route?: { path?: unknown };
  /** Express: mount path of the router the route lives in. */
  baseUrl?: string;
  /** Fastify: the matched route's pattern. */
  routeOptions?: { url?: unknown };
  [MIDDLEWARE_ROUTE]?: unknown;
}

/**
 * Nest mounts middleware as Express `all()` routes, so after a request no controller matched,
 * `req.route` is still the last middleware's catch-all route (`{/*splat}`, nestjs-pino's too).
 * Called from inside such a middleware, this remembers that pattern so {@link routeLabel} can tell
 * it from a controller route.
 */
export function rememberMiddlewareRoute(req: RoutedRequest): void {
  if (!(MIDDLEWARE_ROUTE in req)) req[MIDDLEWARE_ROUTE] = req.route?.path;
}

/** Whether the request went through TelemetryModule's middleware (so {@link routeLabel} is meaningful). */
export function passedTelemetryMiddleware(req: object): boolean {
  return MIDDLEWARE_ROUTE in req;
}

/**
 * The `route` label: the matched route pattern, never the raw URL, so the number of series stays
 * bounded by the number of routes. Anything without a matched route is {@link UNMATCHED_ROUTE}.
 */
export function routeLabel(req: RoutedRequest): string {
  const expressPath = req.route?.path;
  const middlewarePath = req[MIDDLEWARE_ROUTE];
  const isMiddlewareRoute = middlewarePath !== undefined && expressPath === middlewarePath;
  if (typeof expressPath === 'string' && expressPath !== '' && !isMiddlewareRoute) {
    return joinPath(req.baseUrl ?? '', expressPath);
  }
  const fastifyUrl = req.routeOptions?.url;
  if (typeof fastifyUrl === 'string' && fastifyUrl !== '') return fastifyUrl;
  return UNMATCHED_ROUTE;
}

function joinPath(base: string, path: string): string {
  if (base === '' || base === '/') return path;
  if (path === '/') return base;
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}
