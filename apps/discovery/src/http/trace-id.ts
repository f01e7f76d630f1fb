import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const TRACE_ID = Symbol.for('toskamesh.discovery.traceId');
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/i;
const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * The id put in every envelope's `traceId`: the W3C trace id of `traceparent` when present (so logs and
 * traces line up), else `X-Request-ID`/`X-Correlation-ID`, else a fresh random id, like ASP.NET's
 * TraceIdentifier. Computed once per request.
 */
export function traceIdOf(request: IncomingMessage): string {
  const cached = (request as unknown as Record<symbol, string | undefined>)[TRACE_ID];
  if (cached) return cached;
  const traceparent = header(request, 'traceparent');
  const fromParent = traceparent ? TRACEPARENT.exec(traceparent.trim())?.[1] : undefined;
  const fromHeader = [header(request, 'x-request-id'), header(request, 'x-correlation-id')].find(
    (value) => value !== undefined && SAFE_ID.test(value),
  );
  const id = fromParent?.toLowerCase() ?? fromHeader ?? randomBytes(16).toString('hex');
  (request as unknown as Record<symbol, string>)[TRACE_ID] = id;
  return id;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
