import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { currentCorrelationId, requestCorrelationId } from '../correlation/correlation-id.js';
import { requestTraceContext, traceLogFields } from '../tracing/trace-context.js';

/** Fields every log line about a request carries. */
export interface RequestLogFields {
  correlationId: string;
  traceId?: string;
  spanId?: string;
}

const FIELDS = Symbol.for('toskamesh.telemetry.logFields');

type TaggedRequest = IncomingMessage & { [FIELDS]?: RequestLogFields };

/**
 * Fields bound to the request's logger by pino-http (`customProps`). Computed once per request and
 * cached: pino-http calls this again when the response finishes, possibly in another async context,
 * and it only re-binds (duplicating keys) when the values changed.
 */
export function requestLogFields(req: IncomingMessage): RequestLogFields {
  const tagged = req as TaggedRequest;
  const known = tagged[FIELDS];
  if (known) return known;
  const fields: RequestLogFields = {
    correlationId: requestCorrelationId(req),
    ...traceLogFields(requestTraceContext(req.headers)),
  };
  tagged[FIELDS] = fields;
  return fields;
}

/**
 * pino `mixin`: correlation and trace ids for log lines written outside a request's logger (startup,
 * background jobs, `withSpan` blocks). Skipped when the logger already carries them as bindings, so a
 * request's lines never hold a key twice.
 */
export function ambientLogFields(_mergeObject: object, _level: number, logger: Logger): object {
  if ('correlationId' in logger.bindings()) return {};
  const correlationId = currentCorrelationId();
  return { ...(correlationId === undefined ? {} : { correlationId }), ...traceLogFields() };
}
