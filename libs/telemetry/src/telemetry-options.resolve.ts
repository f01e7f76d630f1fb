import { MeshConfigError, meshOptionsFromEnv, type MeshTelemetryEnvOptions } from '@toskamesh/common';
import type { DestinationStream } from 'pino';
import type { StartTelemetryOptions, TelemetryModuleOptions, TracingOptions } from './telemetry-options.js';

type Env = Record<string, string | undefined>;

/** Bucket bounds (seconds) for ms-scale APIs: 1 ms .. 10 s. */
export const DEFAULT_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** {@link TracingOptions} with every default applied. */
export interface ResolvedTracingOptions {
  enabled: boolean;
  /** Full OTLP traces URL (`.../v1/traces`), when one is configured. */
  tracesUrl?: string;
  sampleRatio: number;
  exportTimeoutMs: number;
  shutdownTimeoutMs: number;
  ignorePaths: string[];
}

/** {@link TelemetryModuleOptions} with every default applied. */
export interface ResolvedTelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  metrics: { enabled: boolean; path: string; defaultMetrics: boolean; durationBuckets: number[] };
  logging: {
    level: string;
    pretty: boolean;
    destination?: DestinationStream;
    quietPaths: string[];
    redact: string[];
  };
  tracing: ResolvedTracingOptions;
}

/** Applies defaults and validates; throws {@link MeshConfigError} naming the bad key. */
export function resolveTelemetryOptions(
  options: TelemetryModuleOptions,
  env: Env = process.env,
): ResolvedTelemetryOptions {
  const fromEnv = telemetryEnv(env);
  const metricsPath = routePath('telemetry.metrics.path', options.metrics?.path ?? '/metrics');
  return {
    serviceName: serviceName('telemetry.serviceName', options.serviceName),
    serviceVersion: options.serviceVersion,
    metrics: {
      enabled: options.metrics?.enabled ?? true,
      path: metricsPath,
      defaultMetrics: options.metrics?.defaultMetrics ?? true,
      durationBuckets: buckets(options.metrics?.durationBuckets),
    },
    logging: {
      level: logLevel(options.logging?.level ?? fromEnv.logLevel ?? 'info'),
      pretty: options.logging?.pretty ?? false,
      destination: options.logging?.destination,
      quietPaths: (options.logging?.quietPaths ?? ['/health', metricsPath]).map((path) =>
        routePath('telemetry.logging.quietPaths', path),
      ),
      redact: options.logging?.redact ?? [],
    },
    tracing: resolveTracing('telemetry.tracing', options.tracing, fromEnv),
  };
}

/** Defaults and validation for `startTelemetry()`. */
export function resolveStartOptions(
  options: StartTelemetryOptions,
  env: Env = process.env,
): { serviceName: string; serviceVersion?: string; tracing: ResolvedTracingOptions } {
  return {
    serviceName: serviceName('serviceName', options.serviceName),
    serviceVersion: options.serviceVersion,
    tracing: resolveTracing('tracing', options.tracing, telemetryEnv(env)),
  };
}

function resolveTracing(
  prefix: string,
  tracing: TracingOptions | undefined,
  fromEnv: MeshTelemetryEnvOptions,
): ResolvedTracingOptions {
  const endpoint = tracing?.otlpEndpoint ?? fromEnv.otlpEndpoint;
  const tracesUrl = endpoint === undefined ? undefined : otlpTracesUrl(`${prefix}.otlpEndpoint`, endpoint);
  const enabled = tracing?.enabled ?? fromEnv.tracingEnabled ?? tracesUrl !== undefined;
  if (enabled && tracesUrl === undefined) {
    throw new MeshConfigError(`${prefix}.otlpEndpoint`, 'is required when tracing is enabled', {
      allowed: 'an http(s) URL such as "http://otel-collector:4318" (or set OTEL_EXPORTER_OTLP_ENDPOINT)',
    });
  }
  return {
    enabled,
    tracesUrl,
    sampleRatio: ratio(`${prefix}.sampleRatio`, tracing?.sampleRatio ?? 1),
    exportTimeoutMs: positiveInt(`${prefix}.exportTimeoutMs`, tracing?.exportTimeoutMs ?? 10_000),
    shutdownTimeoutMs: positiveInt(`${prefix}.shutdownTimeoutMs`, tracing?.shutdownTimeoutMs ?? 5_000),
    ignorePaths: (tracing?.ignorePaths ?? ['/metrics', '/health']).map((path) =>
      routePath(`${prefix}.ignorePaths`, path),
    ),
  };
}

function telemetryEnv(env: Env): MeshTelemetryEnvOptions {
  return meshOptionsFromEnv(env).telemetry;
}

/** `http://host:4318` -> `http://host:4318/v1/traces`; a URL already ending in `/v1/traces` is kept. */
export function otlpTracesUrl(key: string, endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new MeshConfigError(key, 'must be an absolute URL', {
      value: endpoint,
      allowed: 'http(s) URLs',
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MeshConfigError(key, 'must use http or https', { value: endpoint, allowed: 'http(s) URLs' });
  }
  const base = url.href.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

function serviceName(key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MeshConfigError(key, 'must be a non-empty string', { value, allowed: 'e.g. "orders"' });
  }
  return value.trim();
}

function routePath(key: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new MeshConfigError(key, 'must be a path starting with "/"', { value, allowed: 'e.g. "/metrics"' });
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

function logLevel(value: string): string {
  const level = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new MeshConfigError('telemetry.logging.level', 'is not a log level', {
      value,
      allowed: LOG_LEVELS.join(', '),
    });
  }
  return level;
}

function ratio(key: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new MeshConfigError(key, 'must be a number between 0 and 1', { value, allowed: '0..1' });
  }
  return value;
}

function positiveInt(key: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new MeshConfigError(key, 'must be a positive whole number of milliseconds', {
      value,
      allowed: 'integers >= 1',
    });
  }
  return value;
}

function buckets(value: number[] | undefined): number[] {
  if (value === undefined) return [...DEFAULT_DURATION_BUCKETS];
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((bound, i) => Number.isFinite(bound) && bound > 0 && (i === 0 || bound > value[i - 1]!));
  if (!valid) {
    throw new MeshConfigError('telemetry.metrics.durationBuckets', 'must be ascending positive numbers', {
      value,
      allowed: 'e.g. [0.005, 0.01, 0.05, 0.1, 0.5, 1]',
    });
  }
  return [...value];
}
