import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type * as OtlpHttpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as HttpInstrumentationModule from '@opentelemetry/instrumentation-http';
import type * as NestInstrumentationModule from '@opentelemetry/instrumentation-nestjs-core';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as SdkTrace from '@opentelemetry/sdk-trace';
import { ATTR_HTTP_ROUTE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from './semantic-attributes.js';
import { methodLabel } from '../metrics/http-metrics.js';
import { passedTelemetryMiddleware, routeLabel, type RoutedRequest } from '../metrics/route-label.js';
import { matchesPathPrefix, urlPath } from '../path-match.js';
import type { SdkSettings, TelemetryBackend } from './telemetry-backend.js';

const requireCjs = createRequire(import.meta.url);

/**
 * The SDK packages are required on first use, never imported: importing them costs every process
 * ~14 MB RSS and a few hundred ms of start-up, and most processes only propagate. `require` keeps
 * `startTelemetry()` synchronous; all of them ship CommonJS builds.
 */
function load<T>(id: string): T {
  return requireCjs(id) as T;
}

type Instrumentation =
  HttpInstrumentationModule.HttpInstrumentation | NestInstrumentationModule.NestInstrumentation;

/**
 * Starts an OpenTelemetry `NodeSDK`. With tracing enabled: OTLP/HTTP export, parent-based ratio
 * sampling and the http/Nest instrumentations. With tracing disabled (only reached when
 * `OTEL_PROPAGATORS` names a propagator such as `b3`): no span processor and no instrumentation, so it
 * installs just the context manager and the propagators.
 */
export function startNodeSdk(settings: SdkSettings): TelemetryBackend {
  const { tracing } = settings;
  const { NodeSDK } = load<typeof SdkNode>('@opentelemetry/sdk-node');
  const { defaultResource, resourceFromAttributes } = load<typeof Resources>('@opentelemetry/resources');
  const { ParentBasedSampler, TraceIdRatioBasedSampler } = load<typeof SdkTrace>('@opentelemetry/sdk-trace');
  const tracesUrl = tracing.enabled ? tracing.tracesUrl : undefined;
  const processor = tracesUrl ? createProcessor(tracesUrl, tracing.exportTimeoutMs) : undefined;
  const instrumentations = tracing.enabled ? createInstrumentations(tracing.ignorePaths) : [];
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: defaultResource().merge(resourceFromAttributes(serviceAttributes(settings))),
    autoDetectResources: tracing.enabled,
    spanProcessors: processor ? [processor] : [],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(tracing.sampleRatio) }),
    // Metrics are prom-client's and logs are pino's: without these the SDK would start OTLP exporters.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  return {
    flush: processor && (() => processor.forceFlush()),
    async shutdown() {
      for (const instrumentation of instrumentations) instrumentation.disable();
      await sdk.shutdown();
    },
  };
}

function createProcessor(tracesUrl: string, exportTimeoutMs: number): SdkTrace.BatchSpanProcessor {
  const { BatchSpanProcessor } = load<typeof SdkTrace>('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = load<typeof OtlpHttpExporter>('@opentelemetry/exporter-trace-otlp-http');
  return new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: tracesUrl, timeoutMillis: exportTimeoutMs }),
    exportTimeoutMillis: exportTimeoutMs,
  });
}

function createInstrumentations(ignorePaths: string[]): Instrumentation[] {
  const { HttpInstrumentation } = load<typeof HttpInstrumentationModule>(
    '@opentelemetry/instrumentation-http',
  );
  const { NestInstrumentation } = load<typeof NestInstrumentationModule>(
    '@opentelemetry/instrumentation-nestjs-core',
  );
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
