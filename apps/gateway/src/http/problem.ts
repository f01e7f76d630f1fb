import type { ServerResponse } from 'node:http';

/** An RFC 9457 problem body as the gateway writes it. */
export interface GatewayProblem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** Stable machine-readable reason, e.g. `no-healthy-instance`. */
  readonly reason: string;
  /** Seconds, sent as `Retry-After` (and in the body). */
  readonly retryAfterSeconds?: number;
  readonly correlationId?: string;
}

/**
 * Answers with `application/problem+json` unless headers were already sent, in which case the response
 * is destroyed (the client sees a cut connection, not a corrupted body).
 */
export function writeProblem(
  res: ServerResponse,
  problem: GatewayProblem,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = problemBody(problem);
  res.writeHead(problem.status, {
    ...extraHeaders,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(problem.retryAfterSeconds === undefined ? {} : { 'retry-after': String(problem.retryAfterSeconds) }),
  });
  res.end(body);
}

/** The JSON body of `problem` (RFC 9457 members plus `retryAfter` and `correlationId` when known). */
export function problemBody(problem: GatewayProblem): string {
  return JSON.stringify({
    type: `https://toskamesh.dev/problems/${problem.reason}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...(problem.retryAfterSeconds === undefined ? {} : { retryAfter: problem.retryAfterSeconds }),
    ...(problem.correlationId === undefined ? {} : { correlationId: problem.correlationId }),
  });
}
