import type { GatewayProblem } from '../http/problem.js';

/** Seconds a client should wait before retrying when no instance can take the request. */
export const NO_INSTANCE_RETRY_AFTER_SECONDS = 1;

/** The problems the forwarder answers when an upstream cannot. */
export const proxyProblems = {
  noHealthyInstance: (pool: string, correlationId: string): GatewayProblem => ({
    status: 503,
    title: 'Service Unavailable',
    detail: `no healthy instance of "${pool}" can take the request`,
    reason: 'no-healthy-instance',
    retryAfterSeconds: NO_INSTANCE_RETRY_AFTER_SECONDS,
    correlationId,
  }),
  circuitOpen: (pool: string, retryAfterMs: number, correlationId: string): GatewayProblem => ({
    status: 503,
    title: 'Service Unavailable',
    detail: `the circuit breaker of "${pool}" is open after too many failures`,
    reason: 'circuit-open',
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    correlationId,
  }),
  upstreamUnavailable: (pool: string, why: string, correlationId: string): GatewayProblem => ({
    status: 502,
    title: 'Bad Gateway',
    detail: `no answer from "${pool}": ${why}`,
    reason: 'upstream-unavailable',
    correlationId,
  }),
  upstreamTimeout: (pool: string, timeoutMs: number, correlationId: string): GatewayProblem => ({
    status: 504,
    title: 'Gateway Timeout',
    detail: `"${pool}" did not answer within ${timeoutMs} ms`,
    reason: 'upstream-timeout',
    correlationId,
  }),
  badUpstreamResponse: (pool: string, why: string, correlationId: string): GatewayProblem => ({
    status: 502,
    title: 'Bad Gateway',
    detail: `"${pool}" answered with a response the gateway cannot relay: ${why}`,
    reason: 'bad-upstream-response',
    correlationId,
  }),
  bodyTooLarge: (maxBodyBytes: number, correlationId: string): GatewayProblem => ({
    status: 413,
    title: 'Payload Too Large',
    detail: `the request body is larger than ${maxBodyBytes} bytes`,
    reason: 'body-too-large',
    correlationId,
  }),
  unsendableRequest: (why: string, correlationId: string): GatewayProblem => ({
    status: 400,
    title: 'Bad Request',
    detail: `the request cannot be forwarded: ${why}`,
    reason: 'unsendable-request',
    correlationId,
  }),
} as const;
