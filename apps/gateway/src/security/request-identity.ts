import type { IncomingMessage } from 'node:http';

/** Who sent a request, once credentials are checked. */
export interface RequestIdentity {
  /** Subject of the JWT or name of the API key. */
  readonly user: string;
  readonly roles: readonly string[];
  /** How the caller proved it. */
  readonly via: 'jwt' | 'api-key';
  /** The API key's name when `via` is `api-key` (rate-limit key). */
  readonly apiKey?: string;
}

/** The outcome of checking a request's credentials. */
export type AuthOutcome =
  | { readonly ok: true; readonly identity?: RequestIdentity }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/** Checks JWT / API key on a request; public paths pass without an identity. */
export interface RequestAuthenticator {
  /** `path` is the normalised path (no query) the public patterns are matched against. */
  authenticate(request: IncomingMessage, path: string): Promise<AuthOutcome> | AuthOutcome;
}

/** One rate-limit decision; header values follow draft-ietf-httpapi-ratelimit-headers. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
  /**
   * Seconds until this client may send again (>= 1); set when refused. With a continuously refilling
   * limiter this is shorter than `resetSeconds` (one permit comes back before the whole quota).
   */
  readonly retryAfterSeconds?: number;
}

/** Counts requests per client key; `redis` shares counts between gateway replicas. */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
  close(): Promise<void>;
}
