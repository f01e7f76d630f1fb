/** Where a request goes, decided from its path alone. */
export type RouteMatch =
  | {
      readonly kind: 'service';
      /** Mesh service name (as registered; matched case-insensitively). */
      readonly service: string;
      /** Path and query to send upstream, starting with `/`. */
      readonly upstreamPath: string;
    }
  | {
      readonly kind: 'static';
      /** Static route name (its pool key). */
      readonly route: string;
      readonly upstreamPath: string;
    };

/** A path the gateway refuses before routing (traversal tricks, bad encoding). */
export interface RouteRejection {
  readonly kind: 'rejected';
  /** 400 for malformed/unsafe paths. */
  readonly status: number;
  /** Says what is wrong, for the problem body. */
  readonly reason: string;
}

/** No route: the path is not under the route prefix or a static route, or names no known service. */
export interface NoRoute {
  readonly kind: 'none';
  /** The service name asked for when the path was under the route prefix (for the 404 message). */
  readonly service?: string;
}
