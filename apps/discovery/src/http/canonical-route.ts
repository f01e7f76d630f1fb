/**
 * The REST routes, literal segments spelled as the .NET original's controllers (`:x` = a parameter,
 * kept as sent because service names and ids are case-sensitive).
 */
const ROUTES: readonly string[][] = [
  'ServiceRegistration/register',
  'ServiceRegistration/deregister/:id',
  'ServiceRegistration/health/check/:id',
  'ServiceRegistration/health/:id',
  'ServiceRegistration/heartbeat/:id',
  'ServiceRegistration/metadata/:id',
  'ServiceDiscovery/services',
  'ServiceDiscovery/services/:name/instances',
  'ServiceDiscovery/services/:name/instances/healthy',
  'ServiceDiscovery/services/:name/instances/tracking',
  'ServiceDiscovery/services/:name/metadata',
  'ServiceDiscovery/instances/:id',
  'ServiceDiscovery/instances/:id/tracking',
  'ServiceDiscovery/watch',
].map((route) => ['api', ...route.split('/')]);

/**
 * Rewrites the literal segments of a known route to their canonical spelling, as ASP.NET matched
 * routes case-insensitively (`/API/serviceregistration/REGISTER` -> `/api/ServiceRegistration/register`).
 * Parameters and the query string are untouched; unknown paths are returned as they are.
 */
export function canonicalRoute(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : url.slice(queryAt);
  const trailing = path.length > 1 && path.endsWith('/') ? '/' : '';
  const segments = path.split('/').filter(Boolean);
  const route = ROUTES.find(
    (candidate) =>
      candidate.length === segments.length &&
      candidate.every((part, i) => part.startsWith(':') || part.toLowerCase() === segments[i]!.toLowerCase()),
  );
  if (!route) return url;
  const canonical = route.map((part, i) => (part.startsWith(':') ? segments[i] : part));
  return `/${canonical.join('/')}${trailing}${query}`;
}

/**
 * Express-style middleware applying {@link canonicalRoute}, so the routes stay case-insensitive even
 * in a host app whose router has `case sensitive routing` on. Mount it before any router.
 */
export function canonicalRouteMiddleware(
  request: { url?: string },
  _response: unknown,
  next: () => void,
): void {
  if (request.url) request.url = canonicalRoute(request.url);
  next();
}
