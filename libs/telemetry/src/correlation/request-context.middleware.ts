import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { rememberMiddlewareRoute, type RoutedRequest } from '../metrics/route-label.js';
import { matchesPathPrefix, urlPath } from '../path-match.js';
import { TELEMETRY_OPTIONS } from '../telemetry.module-definition.js';
import type { ResolvedTelemetryOptions } from '../telemetry-options.resolve.js';
import { startServerSpan } from '../tracing/server-span.js';
import { runningTelemetry } from '../tracing/start-telemetry.js';
import { requestTraceContext } from '../tracing/trace-context.js';
import { requestCorrelationId, runWithCorrelationId } from './correlation-id.js';

/**
 * Runs the rest of the request inside its correlation id and trace context, so handlers can call
 * `currentCorrelationId()`, `currentTraceId()` and `injectTraceHeaders()`. The trace context is the
 * HttpInstrumentation server span when there is one; else, with tracing on, a server span started
 * here; else the caller's `traceparent` as is (propagation only).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(@Inject(TELEMETRY_OPTIONS) private readonly options: ResolvedTelemetryOptions) {}

  use(req: IncomingMessage & RoutedRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    rememberMiddlewareRoute(req);
    const correlationId = requestCorrelationId(req, res);
    const active = context.active();
    let traceContext = requestTraceContext(req.headers, active);
    if (trace.getSpan(active) === undefined && this.shouldStartSpan(req)) {
      traceContext = startServerSpan(req, res, traceContext);
    }
    runWithCorrelationId(correlationId, () => context.with(traceContext, next));
  }

  private shouldStartSpan(req: IncomingMessage & { originalUrl?: string }): boolean {
    return (
      runningTelemetry()?.tracingEnabled === true &&
      !matchesPathPrefix(urlPath(req.originalUrl ?? req.url), this.options.tracing.ignorePaths)
    );
  }
}
