export { TelemetryModule } from './telemetry.module.js';
export { TELEMETRY_MODULE_OPTIONS, TELEMETRY_OPTIONS } from './telemetry.module-definition.js';
export { TelemetryLifecycle } from './telemetry.lifecycle.js';
export type {
  LoggingOptions,
  MetricsOptions,
  StartTelemetryOptions,
  TelemetryModuleOptions,
  TracingOptions,
} from './telemetry-options.js';
export {
  DEFAULT_DURATION_BUCKETS,
  type ResolvedTelemetryOptions,
  type ResolvedTracingOptions,
} from './telemetry-options.resolve.js';

export { startTelemetry, runningTelemetry } from './tracing/start-telemetry.js';
export type { TelemetryHandle } from './tracing/telemetry-sdk.js';
export {
  TRACER_NAME,
  currentSpanId,
  currentTraceId,
  injectTraceHeaders,
  withSpan,
} from './tracing/trace-context.js';

export {
  CORRELATION_ID_HEADER,
  currentCorrelationId,
  runWithCorrelationId,
} from './correlation/correlation-id.js';

export {
  HTTP_ACTIVE_REQUESTS,
  HTTP_REQUESTS_TOTAL,
  HTTP_REQUEST_DURATION_SECONDS,
  HttpMetrics,
} from './metrics/http-metrics.js';
export { UNMATCHED_ROUTE, routeLabel } from './metrics/route-label.js';
export { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from './metrics/metric-factory.js';
export { MetricConflictError } from './errors/metric-conflict.error.js';
