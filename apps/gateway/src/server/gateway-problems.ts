import type { GatewayProblem } from '../http/problem.js';

/** The problems the request pipeline answers itself (the forwarder answers the upstream ones). */
export const problems = {
  unsafeHeader: (header: string, correlationId: string): GatewayProblem => ({
    status: 400,
    title: 'Bad Request',
    detail: `the value of header "${header}" contains CR, LF or NUL`,
    reason: 'unsafe-header',
    correlationId,
  }),
  badPath: (detail: string, correlationId: string): GatewayProblem => ({
    status: 400,
    title: 'Bad Request',
    detail,
    reason: 'bad-path',
    correlationId,
  }),
  noRoute: (correlationId: string): GatewayProblem => ({
    status: 404,
    title: 'Not Found',
    detail: 'no route serves this path',
    reason: 'no-route',
    correlationId,
  }),
  unknownService: (service: string, correlationId: string): GatewayProblem => ({
    status: 404,
    title: 'Not Found',
    detail: `no service named "${service}" is registered`,
    reason: 'unknown-service',
    correlationId,
  }),
  unauthorized: (status: 401 | 403, reason: string, correlationId: string): GatewayProblem => ({
    status,
    title: status === 401 ? 'Unauthorized' : 'Forbidden',
    detail: reason,
    reason: status === 401 ? 'unauthorized' : 'forbidden',
    correlationId,
  }),
  rateLimited: (retryAfterSeconds: number, correlationId: string): GatewayProblem => ({
    status: 429,
    title: 'Too Many Requests',
    detail: 'the rate limit of this client is used up; retry after the window resets',
    reason: 'rate-limited',
    retryAfterSeconds,
    correlationId,
  }),
  notFound: (correlationId: string): GatewayProblem => ({
    status: 404,
    title: 'Not Found',
    detail: 'nothing is served here',
    reason: 'not-found',
    correlationId,
  }),
} as const;

/**
 * `WWW-Authenticate` for a refusal (RFC 6750 §3): no error code when credentials were missing,
 * `invalid_token` with the reason when they were bad, `insufficient_scope` for 403.
 */
export function wwwAuthenticate(status: 401 | 403, reason: string, missing: boolean): string {
  if (status === 401 && missing) return 'Bearer realm="toskamesh"';
  const error = status === 403 ? 'insufficient_scope' : 'invalid_token';
  // A quoted-string may not hold `"` or `\`; reasons are ours, but stay safe.
  const description = reason.replace(/["\\\r\n]/g, "'");
  return `Bearer realm="toskamesh", error="${error}", error_description="${description}"`;
}
