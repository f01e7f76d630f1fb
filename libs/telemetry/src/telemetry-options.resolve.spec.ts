import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import {
  DEFAULT_DURATION_BUCKETS,
  otlpTracesUrl,
  resolveTelemetryOptions,
} from './telemetry-options.resolve.js';

describe('resolveTelemetryOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveTelemetryOptions({ serviceName: 'orders' }, {});
    expect(resolved).toEqual({
      serviceName: 'orders',
      serviceVersion: undefined,
      metrics: {
        enabled: true,
        path: '/metrics',
        defaultMetrics: true,
        durationBuckets: [...DEFAULT_DURATION_BUCKETS],
      },
      logging: {
        level: 'info',
        pretty: false,
        destination: undefined,
        quietPaths: ['/health', '/metrics'],
        redact: [],
      },
      tracing: {
        enabled: false,
        tracesUrl: undefined,
        sampleRatio: 1,
        exportTimeoutMs: 10_000,
        shutdownTimeoutMs: 5_000,
        ignorePaths: ['/metrics', '/health'],
      },
    });
  });

  it('enables tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set and reads the log level from env', () => {
    const resolved = resolveTelemetryOptions(
      { serviceName: 'orders' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', Mesh__Telemetry__LogLevel: 'DEBUG' },
    );
    expect(resolved.tracing).toMatchObject({ enabled: true, tracesUrl: 'http://collector:4318/v1/traces' });
    expect(resolved.logging.level).toBe('debug');
  });

  it('lets options win over env, and tracing.enabled=false win over an endpoint', () => {
    const resolved = resolveTelemetryOptions(
      { serviceName: 'orders', logging: { level: 'warn' }, tracing: { enabled: false } },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', LOG_LEVEL: 'debug' },
    );
    expect(resolved.logging.level).toBe('warn');
    expect(resolved.tracing.enabled).toBe(false);
  });

  it('puts a custom metrics path in the quiet log paths', () => {
    expect(
      resolveTelemetryOptions({ serviceName: 's', metrics: { path: '/prom/' } }, {}).logging.quietPaths,
    ).toEqual(['/health', '/prom']);
  });

  it.each([
    [{ serviceName: '' }, 'telemetry.serviceName'],
    [{ serviceName: 's', metrics: { path: 'metrics' } }, 'telemetry.metrics.path'],
    [{ serviceName: 's', metrics: { durationBuckets: [0.1, 0.05] } }, 'telemetry.metrics.durationBuckets'],
    [{ serviceName: 's', logging: { level: 'loud' } }, 'telemetry.logging.level'],
    [{ serviceName: 's', tracing: { sampleRatio: 1.5 } }, 'telemetry.tracing.sampleRatio'],
    [{ serviceName: 's', tracing: { otlpEndpoint: 'collector:4318' } }, 'telemetry.tracing.otlpEndpoint'],
    [
      { serviceName: 's', tracing: { otlpEndpoint: 'ftp://c', enabled: true } },
      'telemetry.tracing.otlpEndpoint',
    ],
    [{ serviceName: 's', tracing: { exportTimeoutMs: 0 } }, 'telemetry.tracing.exportTimeoutMs'],
  ])('rejects %j naming %s', (options, key) => {
    let caught: unknown;
    try {
      resolveTelemetryOptions(options, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MeshConfigError);
    expect((caught as MeshConfigError).key).toBe(key);
  });
});

describe('otlpTracesUrl', () => {
  it('appends /v1/traces once', () => {
    expect(otlpTracesUrl('k', 'http://c:4318')).toBe('http://c:4318/v1/traces');
    expect(otlpTracesUrl('k', 'https://c/otlp/v1/traces')).toBe('https://c/otlp/v1/traces');
  });
});
