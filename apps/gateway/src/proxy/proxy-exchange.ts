import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestIdentity } from '../security/request-identity.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';

/** One client request on its way to an upstream pool, as the server hands it to the forwarder. */
export interface ProxyExchange {
  req: IncomingMessage;
  res: ServerResponse;
  pool: UpstreamPool;
  /** Path and query to send upstream (the route's rewrite), starting with `/`. */
  upstreamPath: string;
  /** Who sent it, forwarded as `x-mesh-user` / `x-mesh-roles`; absent on public paths. */
  identity?: RequestIdentity;
  correlationId: string;
  /** The client's address as the gateway trusts it (see `clientIp()`). */
  clientIp: string;
  /** The client spoke TLS to the gateway (`X-Forwarded-Proto: https`). */
  secure: boolean;
}

/** How a forwarded request ended, for metrics and the access log. */
export interface ForwardResult {
  /** Status the client got: the upstream's, a problem's, or 499 when the client went away first. */
  status: number;
  /** Attempts sent to upstream instances (0 when refused before any). */
  attempts: number;
  /** Attempts after the first. */
  retries: number;
  /** The instance whose answer the client got (or the last one tried). */
  targetId?: string;
  /**
   * Why the client did not get an upstream answer: the failure of the last attempt, `retry-budget` when a
   * retry was wanted but the budget refused it, or a refusal before any attempt.
   */
  failure?:
    | 'connect'
    | 'reset'
    | 'timeout'
    | 'breaker-open'
    | 'no-instance'
    | 'retry-budget'
    | 'aborted'
    | 'body-too-large';
}
