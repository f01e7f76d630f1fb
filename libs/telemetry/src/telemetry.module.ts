import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { RequestContextMiddleware } from './correlation/request-context.middleware.js';
import { createLoggerParams } from './logging/logger-params.factory.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { createMetricsRoute } from './metrics/metrics.controller.js';
import { METRICS_ROUTE, TelemetryLifecycle } from './telemetry.lifecycle.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  TELEMETRY_MODULE_OPTIONS,
  TELEMETRY_OPTIONS,
} from './telemetry.module-definition.js';
import { resolveTelemetryOptions, type ResolvedTelemetryOptions } from './telemetry-options.resolve.js';
import type { TelemetryModuleOptions } from './telemetry-options.js';

/** Every request, including unmatched ones (path-to-regexp v8 syntax, as nestjs-pino uses). */
const ALL_ROUTES = { path: '{/*splat}', method: RequestMethod.ALL };

/** Holds the options providers so LoggerModule's async factory can inject them too. */
@Module({})
class TelemetryOptionsModule {}

/**
 * Observability for a Nest app in one import: JSON logs with service, correlation and trace ids
 * (nestjs-pino), a Prometheus scrape endpoint with per-route RED metrics, and W3C trace context in
 * and out (OpenTelemetry). Exports nestjs-pino's `Logger`/`PinoLogger` and {@link HttpMetrics}.
 *
 * Tracing starts here only when `startTelemetry()` was not called first; for HTTP server spans call
 * it before the app's modules are imported (see `startTelemetry`).
 */
@Module({})
export class TelemetryModule extends ConfigurableModuleClass implements NestModule {
  constructor(@Inject(TELEMETRY_OPTIONS) private readonly options: ResolvedTelemetryOptions) {
    super();
  }

  /** Static options; `isGlobal` (default true) makes the exports visible app-wide. */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return assemble(super.forRoot(options), options.metrics?.enabled !== false);
  }

  /** Options from a factory (`ConfigService`, `meshOptionsFromEnv()`, ...); same defaults as `forRoot`. */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    // Whether metrics are on is only known once the factory ran: the route always exists and 404s if off.
    return assemble(super.forRootAsync(options), true);
  }

  configure(consumer: MiddlewareConsumer): void {
    const middleware = this.options.metrics.enabled
      ? [RequestContextMiddleware, HttpMetricsMiddleware]
      : [RequestContextMiddleware];
    consumer.apply(...middleware).forRoutes(ALL_ROUTES);
  }
}

/** Moves the builder's option providers into a shared module and adds metrics, logging and tracing. */
function assemble(base: DynamicModule, withMetricsRoute: boolean): DynamicModule {
  const route = createMetricsRoute();
  const optionsModule: DynamicModule = {
    module: TelemetryOptionsModule,
    imports: base.imports ?? [],
    providers: [...(base.providers ?? []), resolvedOptionsProvider],
    exports: [TELEMETRY_MODULE_OPTIONS, TELEMETRY_OPTIONS],
  };
  const providers: Provider[] = [
    { provide: METRICS_ROUTE, useValue: route },
    {
      provide: HttpMetrics,
      useFactory: (options: ResolvedTelemetryOptions) => new HttpMetrics(options.metrics.durationBuckets),
      inject: [TELEMETRY_OPTIONS],
    },
    TelemetryLifecycle,
    RequestContextMiddleware,
    HttpMetricsMiddleware,
  ];
  return {
    module: TelemetryModule,
    global: base.global,
    imports: [
      optionsModule,
      LoggerModule.forRootAsync({
        imports: [optionsModule],
        inject: [TELEMETRY_OPTIONS],
        useFactory: (options: ResolvedTelemetryOptions) => createLoggerParams(options),
      }),
    ],
    controllers: withMetricsRoute ? [route.controller] : [],
    providers,
    exports: [optionsModule, LoggerModule, HttpMetrics, TelemetryLifecycle],
  };
}

const resolvedOptionsProvider: Provider = {
  provide: TELEMETRY_OPTIONS,
  useFactory: (options: TelemetryModuleOptions) => resolveTelemetryOptions(options),
  inject: [TELEMETRY_MODULE_OPTIONS],
};
