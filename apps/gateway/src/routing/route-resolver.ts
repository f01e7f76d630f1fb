import type { NoRoute, RouteMatch, RouteRejection } from './route-match.js';

/** Maps a request target (`/api/svc/x?y=1`) to where it goes. Pure and synchronous: it runs per request. */
export interface RouteResolver {
  resolve(requestTarget: string): RouteMatch | RouteRejection | NoRoute;
}
