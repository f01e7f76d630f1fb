import { Logger } from '@nestjs/common';
import { DiagLogLevel, context, diag, logs, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { withTimeout } from '@toskamesh/common';
import { startNodeSdk } from './node-sdk.backend.js';
import { installPropagation, needsNodeSdk } from './propagation.backend.js';
import type { SdkSettings, TelemetryBackend } from './telemetry-backend.js';

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

/**
 * One telemetry start. Tracing enabled starts an OpenTelemetry `NodeSDK`. Tracing disabled installs
 * only the AsyncLocalStorage context manager and the W3C propagators (`tracecontext,baggage`, or
 * `OTEL_PROPAGATORS`) without loading the SDK, so a caller's `traceparent` is continued in logs and
 * outbound headers at the cost of a header parse per request; an `OTEL_PROPAGATORS` naming another
 * propagator (`b3`) still starts the SDK, without span processors or instrumentations.
 */
export class SdkTelemetryHandle implements TelemetryHandle {
  readonly serviceName: string;
  readonly tracingEnabled: boolean;
  readonly tracesUrl: string | undefined;
  private readonly logger = new Logger('Telemetry');
  private readonly backend: TelemetryBackend;
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
    if (!process.env.OTEL_LOG_LEVEL) diag.setLogger(nestDiagLogger(this.logger), DiagLogLevel.WARN);
    this.backend = needsNodeSdk(tracing.enabled) ? startNodeSdk(settings) : installPropagation();
  }

  async flush(): Promise<void> {
    const flush = this.backend.flush;
    if (!flush) return;
    try {
      await withTimeout('telemetry flush', this.shutdownTimeoutMs, flush);
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
    try {
      await withTimeout('telemetry shutdown', this.shutdownTimeoutMs, () => this.backend.shutdown());
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
