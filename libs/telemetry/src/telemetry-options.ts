import type { DestinationStream } from 'pino';

/** Trace export: OpenTelemetry SDK with an OTLP/HTTP exporter. */
export interface TracingOptions {
  /**
   * Export spans. Without it the SDK still propagates W3C `traceparent` (cheap), but records nothing.
   * @default true when an OTLP endpoint is configured (option or env), else false
   */
  enabled?: boolean;
  /**
   * OTLP/HTTP base URL (`http://otel-collector:4318`); `/v1/traces` is appended unless already there.
   * @default env `Mesh__Telemetry__OtlpEndpoint`, then `OTEL_EXPORTER_OTLP_ENDPOINT`
   */
  otlpEndpoint?: string;
  /** Share of new root traces sampled (0..1); child spans follow their parent's decision. @default 1 */
  sampleRatio?: number;
  /** Time limit of one export request to the collector. @default 10000 */
  exportTimeoutMs?: number;
  /** Time limit for flushing queued spans at shutdown. @default 5000 */
  shutdownTimeoutMs?: number;
  /** Incoming request paths (prefix match) that never start a span. @default ['/metrics', '/health'] */
  ignorePaths?: string[];
}

/** Options of `startTelemetry()`. */
export interface StartTelemetryOptions {
  /** `service.name` of every span. Required. */
  serviceName: string;
  /** `service.version` of every span. @default undefined (not set) */
  serviceVersion?: string;
  /** @default { enabled: false } unless an OTLP endpoint is configured */
  tracing?: TracingOptions;
}

/** The Prometheus scrape endpoint and the HTTP RED metrics. */
export interface MetricsOptions {
  /** Serve `path` and record `http_server_*` metrics. @default true */
  enabled?: boolean;
  /** Route of the scrape endpoint (the app's global prefix applies to it). @default '/metrics' */
  path?: string;
  /** Collect prom-client's process/runtime metrics (`process_cpu_seconds_total`, ...). @default true */
  defaultMetrics?: boolean;
  /**
   * Buckets (seconds) of `http_server_request_duration_seconds`, ascending; used when this process
   * creates the histogram first.
   * @default [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
   */
  durationBuckets?: number[];
}

/** JSON logs through nestjs-pino / pino-http. */
export interface LoggingOptions {
  /**
   * Lowest level written (`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`).
   * @default env `Mesh__Telemetry__LogLevel`, then `LOG_LEVEL`, then 'info'
   */
  level?: string;
  /** Human-readable output for local development; needs the optional package `pino-pretty`. @default false */
  pretty?: boolean;
  /** Where log lines go (tests pass a stream to read them). @default process.stdout */
  destination?: DestinationStream;
  /** Request paths (prefix match) whose access logs are written at debug level. @default ['/health', metrics path] */
  quietPaths?: string[];
  /** Extra pino `redact` paths, added to the default ones (authorization, cookie, API key headers). @default [] */
  redact?: string[];
}

/** Options of `TelemetryModule.forRoot` / `forRootAsync`. */
export interface TelemetryModuleOptions {
  /** Service name: log field `service`, metric label `service_name`, span `service.name`. Required. */
  serviceName: string;
  /** Service version: log field `version`, span `service.version`. @default undefined (not set) */
  serviceVersion?: string;
  /** @default { enabled: true, path: '/metrics', defaultMetrics: true } */
  metrics?: MetricsOptions;
  /** @default { level: 'info', pretty: false } */
  logging?: LoggingOptions;
  /**
   * Starts tracing when `startTelemetry()` was not called before (late: `http` is then already loaded,
   * so only spans from `withSpan` and propagated context work — call `startTelemetry` first in `main`).
   * @default { enabled: false } unless an OTLP endpoint is configured
   */
  tracing?: TracingOptions;
}
