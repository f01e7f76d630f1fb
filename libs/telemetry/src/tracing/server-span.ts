import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from './semantic-attributes.js';
import { methodLabel } from '../metrics/http-metrics.js';
import { routeLabel, type RoutedRequest } from '../metrics/route-label.js';
import { urlPath } from '../path-match.js';
import { TRACER_NAME } from './trace-context.js';

/**
 * Starts a SERVER span for a request HttpInstrumentation did not see and returns the context holding
 * it; the span ends with the response. HttpInstrumentation misses requests when `http` was loaded
 * before `startTelemetry()` (an ESM app importing Nest first, TelemetryModule starting tracing
 * itself, Jest's module sandbox), and a trace should still show the hop.
 */
export function startServerSpan(
  req: IncomingMessage & RoutedRequest,
  res: ServerResponse,
  parent: Context,
): Context {
  const method = methodLabel(req.method);
  const span = trace.getTracer(TRACER_NAME).startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: urlPath(req.url) },
    },
    parent,
  );
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    const route = routeLabel(req);
    span.updateName(`${method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return trace.setSpan(parent, span);
}
