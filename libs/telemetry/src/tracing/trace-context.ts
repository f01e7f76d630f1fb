import {
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
} from '@opentelemetry/api';
import { CORRELATION_ID_HEADER, currentCorrelationId } from '../correlation/correlation-id.js';

/** Instrumentation scope of the spans this package and `withSpan` create. */
export const TRACER_NAME = '@toskamesh/telemetry';

/** Trace id (32 hex chars) of the active span or propagated parent, if any. */
export function currentTraceId(): string | undefined {
  return activeSpanContext()?.traceId;
}

/** Span id (16 hex chars) of the active span or propagated parent, if any. */
export function currentSpanId(): string | undefined {
  return activeSpanContext()?.spanId;
}

function activeSpanContext(active: Context = context.active()): SpanContext | undefined {
  const spanContext = trace.getSpanContext(active);
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Adds `traceparent` (and `tracestate`/`baggage` when present) for the active trace, plus
 * `x-correlation-id` for the active request, to `headers` and returns it. For outbound calls that
 * HttpInstrumentation does not see: undici / `fetch`, gRPC metadata, message headers.
 */
export function injectTraceHeaders<T extends Record<string, string>>(headers: T): T {
  propagation.inject(context.active(), headers);
  const correlationId = currentCorrelationId();
  const record = headers as Record<string, string>;
  if (correlationId !== undefined && record[CORRELATION_ID_HEADER] === undefined) {
    record[CORRELATION_ID_HEADER] = correlationId;
  }
  return headers;
}

/**
 * Runs `fn` inside a new active span named `name`; the span ends when `fn` settles, and records the
 * error (status ERROR) when it throws. With tracing disabled the span is a cheap non-recording one
 * that still carries the propagated trace id.
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => T | Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Headers shape `propagation.extract` reads from (node's `IncomingHttpHeaders`). */
export type CarrierHeaders = Record<string, string | string[] | undefined>;

/**
 * The context a request should run in: the active one when it already holds a span (the server
 * span of HttpInstrumentation), else the parent propagated in `traceparent`, so a trace continues
 * even with tracing disabled.
 */
export function requestTraceContext(headers: CarrierHeaders, active: Context = context.active()): Context {
  if (activeSpanContext(active)) return active;
  return propagation.extract(active, headers);
}

/** `{ traceId, spanId }` of the given context, for log lines; empty when there is no trace. */
export function traceLogFields(active: Context = context.active()): { traceId?: string; spanId?: string } {
  const spanContext = activeSpanContext(active);
  return spanContext ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}
