import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { configureDefaultRegistry } from './metrics/prometheus-registry.js';
import type { MetricsRoute } from './metrics/metrics.controller.js';
import { TELEMETRY_OPTIONS } from './telemetry.module-definition.js';
import type { ResolvedTelemetryOptions } from './telemetry-options.resolve.js';
import { ensureTelemetry } from './tracing/start-telemetry.js';
import type { TelemetryHandle } from './tracing/telemetry-sdk.js';

/** Injection token of the scrape controller of one registration. */
export const METRICS_ROUTE = Symbol.for('toskamesh.telemetry.metricsRoute');

/**
 * Process-level set-up of one TelemetryModule, done at DI time so it precedes route registration:
 * points the scrape controller at its path, prepares the Prometheus registry, and starts the
 * OpenTelemetry SDK unless `startTelemetry()` already did. At shutdown it stops the SDK it started,
 * or only flushes one started by the app.
 */
@Injectable()
export class TelemetryLifecycle implements BeforeApplicationShutdown {
  private readonly handle: TelemetryHandle;
  private readonly ownsHandle: boolean;

  constructor(
    @Inject(TELEMETRY_OPTIONS) options: ResolvedTelemetryOptions,
    @Inject(METRICS_ROUTE) route: MetricsRoute,
  ) {
    route.configure(options.metrics.path, options.metrics.enabled);
    if (options.metrics.enabled) {
      configureDefaultRegistry(options.serviceName, options.metrics.defaultMetrics);
    }
    const { handle, started } = ensureTelemetry({
      serviceName: options.serviceName,
      serviceVersion: options.serviceVersion,
      tracing: options.tracing,
    });
    this.handle = handle;
    this.ownsHandle = started;
  }

  /** The SDK handle this app uses (started by the app or by this module). */
  get telemetry(): TelemetryHandle {
    return this.handle;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await (this.ownsHandle ? this.handle.shutdown() : this.handle.flush());
  }
}
