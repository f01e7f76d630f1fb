import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request/response header carrying the correlation id (lower case, as node exposes headers). */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * Process-wide on purpose, like OpenTelemetry's context: `currentCorrelationId()` is a plain function
 * callable from any code, so the store cannot live in a DI-scoped object.
 */
const storage = new AsyncLocalStorage<string>();

const RESOLVED = Symbol.for('toskamesh.telemetry.correlationId');

/** Ids accepted from callers: bounded length and a safe alphabet, so logs and headers cannot be injected into. */
const ACCEPTED_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

type TaggedRequest = IncomingMessage & { [RESOLVED]?: string };

/** The correlation id of the request being handled, when called inside one (or inside {@link runWithCorrelationId}). */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** Runs `fn` with `correlationId` as the current one, e.g. in a message consumer or a background job. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run(correlationId, fn);
}

/** Whether `value` may be used as a correlation id taken from a caller. */
export function isAcceptableCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && ACCEPTED_ID.test(value);
}

/**
 * The request's correlation id: the caller's `x-correlation-id` when acceptable, else a new UUID.
 * Idempotent per request (pino-http's `genReqId` and the context middleware both call it, in an
 * order Nest does not guarantee), and echoes the id in the response header.
 */
export function requestCorrelationId(req: IncomingMessage, res?: ServerResponse): string {
  const tagged = req as TaggedRequest;
  const known = tagged[RESOLVED];
  if (known !== undefined) return known;
  const header = req.headers[CORRELATION_ID_HEADER];
  const incoming = Array.isArray(header) ? header[0] : header;
  const id = isAcceptableCorrelationId(incoming) ? incoming : randomUUID();
  tagged[RESOLVED] = id;
  if (res && !res.headersSent) res.setHeader(CORRELATION_ID_HEADER, id);
  return id;
}
