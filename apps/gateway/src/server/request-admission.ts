import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import type { GatewayProblem } from '../http/problem.js';
import { hasUnsafeHeaderValue } from '../proxy/upstream-headers.js';
import type { MeshRouteResolver } from '../routing/mesh-route-resolver.js';
import { normalisedPath } from '../routing/request-path.js';
import type { RouteMatch } from '../routing/route-match.js';
import type { GatewayAuthenticator } from '../security/gateway-authenticator.js';
import { rateLimitHeaders } from '../security/rate-limit/rate-limit-headers.js';
import { rateLimitKey } from '../security/rate-limit/rate-limit-key.js';
import type { RateLimiter, RequestIdentity } from '../security/request-identity.js';
import { MISSING_CREDENTIALS } from '../security/token-failure.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import type { UpstreamPools } from '../upstream/upstream-pools.js';
import { problems, wwwAuthenticate } from './gateway-problems.js';

/** Per-request facts the pipeline gathered before admission. */
export interface RequestFacts {
  readonly correlationId: string;
  readonly clientIp: string;
}

/** A request allowed through, with where it goes. */
export interface Admitted {
  readonly admitted: true;
  readonly pool: UpstreamPool;
  readonly match: RouteMatch;
  readonly identity?: RequestIdentity;
  /** `RateLimit-*` headers to send with the response, when rate limiting is on. */
  readonly rateLimit?: Record<string, string>;
}

/** A request the gateway answers itself. */
export interface Refused {
  readonly admitted: false;
  readonly problem: GatewayProblem;
  readonly headers?: Record<string, string>;
  /** Service label for metrics: the pool name when known. */
  readonly service?: string;
}

/** Collaborators of {@link RequestAdmission}. */
export interface RequestAdmissionDeps {
  readonly options: ResolvedGatewayOptions;
  readonly resolver: MeshRouteResolver;
  readonly authenticator: GatewayAuthenticator;
  readonly limiter?: RateLimiter;
  readonly pools: UpstreamPools;
  readonly logger: Pick<LoggerService, 'warn'>;
  /** Called for each request refused by the rate limiter, with the pool name when known. */
  readonly onRateLimited?: (service: string | undefined) => void;
}

const LIMITER_WARNING_INTERVAL_MS = 60_000;

/**
 * The checks between a request arriving and it being forwarded, shared by plain requests and
 * `Upgrade`s: unsafe header values -> path normalisation and routing -> credentials -> rate limit ->
 * the upstream pool. Each refusal is a problem the caller writes (to a response or a raw socket).
 */
export class RequestAdmission {
  private lastLimiterWarning = 0;

  constructor(private readonly deps: RequestAdmissionDeps) {}

  async admit(req: IncomingMessage, facts: RequestFacts): Promise<Admitted | Refused> {
    const { correlationId } = facts;
    const unsafe = hasUnsafeHeaderValue(req);
    if (unsafe !== undefined) return refuse(problems.unsafeHeader(unsafe, correlationId));
    const target = normalisedPath(req.url ?? '/');
    if (target.kind === 'rejected') return refuse(problems.badPath(target.reason, correlationId));
    const match = this.deps.resolver.resolveNormalised(target);
    if (match.kind === 'rejected') return refuse(problems.badPath(match.reason, correlationId));
    if (match.kind === 'none') return refuse(problems.noRoute(correlationId));
    const pool = this.deps.pools.poolFor(match);

    let identity: RequestIdentity | undefined;
    const { authenticator } = this.deps;
    if (authenticator.enabled) {
      const pending = authenticator.authenticate(req, target.path);
      const outcome = pending instanceof Promise ? await pending : pending;
      if (!outcome.ok) {
        return refuse(problems.unauthorized(outcome.status, outcome.reason, correlationId), {
          'www-authenticate': wwwAuthenticate(
            outcome.status,
            outcome.reason,
            outcome.reason === MISSING_CREDENTIALS,
          ),
        });
      }
      identity = outcome.identity;
    }

    let rateLimit: Record<string, string> | undefined;
    if (this.deps.limiter !== undefined) {
      const decision = await this.consume(this.deps.limiter, facts.clientIp, identity);
      if (decision !== undefined) {
        rateLimit = rateLimitHeaders(decision);
        if (!decision.allowed) {
          this.deps.onRateLimited?.(pool?.name);
          const retryAfter = Number(rateLimit['retry-after'] ?? decision.resetSeconds);
          return {
            ...refuse(problems.rateLimited(retryAfter, correlationId), rateLimit),
            service: pool?.name,
          };
        }
      }
    }

    if (pool === undefined) {
      return refuse(
        match.kind === 'service'
          ? problems.unknownService(match.service, correlationId)
          : problems.noRoute(correlationId),
      );
    }
    return {
      admitted: true,
      pool,
      match,
      ...(identity ? { identity } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    };
  }

  /** The limiter's decision; a limiter failure lets the request through (fail open) with a throttled warning. */
  private async consume(limiter: RateLimiter, ip: string, identity: RequestIdentity | undefined) {
    try {
      return await limiter.consume(rateLimitKey(this.deps.options.rateLimit.key, ip, identity));
    } catch (error) {
      const now = Date.now();
      if (now - this.lastLimiterWarning > LIMITER_WARNING_INTERVAL_MS) {
        this.lastLimiterWarning = now;
        this.deps.logger.warn(`Rate limiter failed, letting requests through: ${String(error)}`);
      }
      return undefined;
    }
  }
}

function refuse(problem: GatewayProblem, headers?: Record<string, string>): Refused {
  return headers === undefined ? { admitted: false, problem } : { admitted: false, problem, headers };
}
