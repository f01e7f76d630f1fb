import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { DiagLogLevel, context, diag, logs, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import {
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import { withTimeout } from '@toskamesh/common';
import { methodLabel } from '../metrics/http-metrics.js';
import { passedTelemetryMiddleware, routeLabel, type RoutedRequest } from '../metrics/route-label.js';
import { matchesPathPrefix, urlPath } from '../path-match.js';
import type { ResolvedTracingOptions } from '../telemetry-options.resolve.js';

/** What `startTelemetry()` returns: the running SDK of this process. */
export interface TelemetryHandle {
  readonly serviceName: string;
  /** Whether spans are recorded and exported (false: propagation only). */
  readonly tracingEnabled: boolean;
  /** The OTLP traces URL spans go to, when tracing is enabled. */
  readonly tracesUrl: string | undefined;
  /** Exports the queued spans now (bounded by the shutdown timeout); never rejects. */
  flush(): Promise<void>;
  /** Flushes, unpatches `http`, and uninstalls the global tracer/context/propagator; idempotent, never rejects. */
  shutdown(): Promise<void>;
}

/** Resolved settings one {@link SdkTelemetryHandle} runs with. */
export interface SdkSettings {
  serviceName: string;
  serviceVersion?: string;
  tracing: ResolvedTracingOptions;
}

/**
 * One started OpenTelemetry `NodeSDK`. Tracing disabled still starts the SDK, without span processors
 * or instrumentations: that installs the AsyncLocalStorage context manager and the W3C propagators
 * (`tracecontext,baggage`, or `OTEL_PROPAGATORS`), so a caller's `traceparent` is continued in logs
 * and outbound headers at the cost of a header parse per request.
 */
export class SdkTelemetryHandle implements TelemetryHandle {
  readonly serviceName: string;
  readonly tracingEnabled: boolean;
  readonly tracesUrl: string | undefined;
  private readonly logger = new Logger('Telemetry');
  private readonly sdk: NodeSDK;
  private readonly processor: BatchSpanProcessor | undefined;
  private readonly instrumentations: Array<HttpInstrumentation | NestInstrumentation>;
  private readonly shutdownTimeoutMs: number;
  private stopping: Promise<void> | undefined;

  constructor(
    settings: SdkSettings,
    private readonly onStopped: () => void,
  ) {
    const { tracing } = settings;
    this.serviceName = settings.serviceName;
    this.tracingEnabled = tracing.enabled;
    this.tracesUrl = tracing.enabled ? tracing.tracesUrl : undefined;
    this.shutdownTimeoutMs = tracing.shutdownTimeoutMs;
    this.processor = this.tracesUrl ? createProcessor(this.tracesUrl, tracing.exportTimeoutMs) : undefined;
    this.instrumentations = this.tracingEnabled ? createInstrumentations(tracing.ignorePaths) : [];
    if (!process.env.OTEL_LOG_LEVEL) diag.setLogger(nestDiagLogger(this.logger), DiagLogLevel.WARN);
    this.sdk = new NodeSDK({
      serviceName: settings.serviceName,
      resource: defaultResource().merge(resourceFromAttributes(serviceAttributes(settings))),
      autoDetectResources: this.tracingEnabled,
      spanProcessors: this.processor ? [this.processor] : [],
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(tracing.sampleRatio) }),
      // Metrics are prom-client's and logs are pino's: without these the SDK would start OTLP exporters.
      metricReaders: [],
      logRecordProcessors: [],
      instrumentations: this.instrumentations,
    });
    this.sdk.start();
  }

  async flush(): Promise<void> {
    if (!this.processor) return;
    const processor = this.processor;
    try {
      await withTimeout('telemetry flush', this.shutdownTimeoutMs, () => processor.forceFlush());
    } catch (error) {
      this.logger.warn(`Flushing spans failed: ${String(error)}`);
    }
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    this.onStopped();
    for (const instrumentation of this.instrumentations) instrumentation.disable();
    try {
      await withTimeout('telemetry shutdown', this.shutdownTimeoutMs, () => this.sdk.shutdown());
    } catch (error) {
      this.logger.warn(`Telemetry shutdown did not complete: ${String(error)}`);
    } finally {
      // Frees the API globals so a later startTelemetry() in this process can install its own.
      trace.disable();
      logs.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    }
  }
}

function createProcessor(tracesUrl: string, exportTimeoutMs: number): BatchSpanProcessor {
  return new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: tracesUrl, timeoutMillis: exportTimeoutMs }),
    exportTimeoutMillis: exportTimeoutMs,
  });
}

function createInstrumentations(ignorePaths: string[]): Array<HttpInstrumentation | NestInstrumentation> {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => matchesPathPrefix(urlPath(req.url), ignorePaths),
      // Runs before the server span ends, after the router matched: name it `GET /items/:id`.
      applyCustomAttributesOnSpan: (span, request) => {
        if (!passedTelemetryMiddleware(request)) return;
        const route = routeLabel(request as IncomingMessage & RoutedRequest);
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(`${methodLabel(request.method)} ${route}`);
      },
    }),
    new NestInstrumentation(),
  ];
}

function serviceAttributes(settings: SdkSettings): Record<string, string> {
  return {
    [ATTR_SERVICE_NAME]: settings.serviceName,
    ...(settings.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: settings.serviceVersion }),
  };
}

/** OpenTelemetry's own warnings (failed exports, double registration) go to the app's log. */
function nestDiagLogger(logger: Logger): DiagLogger {
  const write = (level: 'error' | 'warn' | 'log' | 'debug' | 'verbose') => (message: string) =>
    logger[level](`OpenTelemetry: ${message}`);
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('log'),
    debug: write('debug'),
    verbose: write('verbose'),
  };
}
