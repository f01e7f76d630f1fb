import type { ResolvedTracingOptions } from '../telemetry-options.resolve.js';

/** Resolved settings one telemetry start runs with. */
export interface SdkSettings {
  serviceName: string;
  serviceVersion?: string;
  tracing: ResolvedTracingOptions;
}

/**
 * What one telemetry start installed: the full NodeSDK (`startNodeSdk()`) or only the context
 * manager and propagators (`installPropagation()`). The handle bounds both calls in time and
 * disables the OpenTelemetry API globals itself after `shutdown()`.
 */
export interface TelemetryBackend {
  /** Exports the queued spans; absent when nothing is exported. */
  readonly flush?: () => Promise<void>;
  /** Unpatches instrumented modules and stops the providers this backend started. */
  shutdown(): Promise<void>;
}
