import { DiagConsoleLogger, context, diag, propagation, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  diagLogLevelFromString,
  getBooleanFromEnv,
  getStringFromEnv,
  getStringListFromEnv,
} from '@opentelemetry/core';
import type { TelemetryBackend } from './telemetry-backend.js';

/** The `OTEL_PROPAGATORS` names installed without the NodeSDK (`none` installs nothing). */
const W3C_PROPAGATORS: ReadonlyMap<string, () => TextMapPropagator> = new Map([
  ['tracecontext', () => new W3CTraceContextPropagator()],
  ['baggage', () => new W3CBaggagePropagator()],
]);

/**
 * Whether this start needs the full NodeSDK: tracing is on, or `OTEL_PROPAGATORS` (read from
 * `process.env`, like the SDK does) names a propagator other than `tracecontext`/`baggage`, such as
 * `b3`, or one the SDK should warn about.
 */
export function needsNodeSdk(tracingEnabled: boolean): boolean {
  if (tracingEnabled) return true;
  const names = getStringListFromEnv('OTEL_PROPAGATORS');
  if (names === undefined || names.includes('none')) return false;
  return names.some((name) => !W3C_PROPAGATORS.has(name));
}

/**
 * Installs what `NodeSDK.start()` installs with tracing disabled — the AsyncLocalStorage context
 * manager and the W3C propagators — without loading the SDK, which costs ~14 MB RSS and a few hundred
 * ms of start-up in every process, most of which never export a span. Call only when
 * {@link needsNodeSdk} is false.
 */
export function installPropagation(): TelemetryBackend {
  // NodeSDK's constructor honours OTEL_LOG_LEVEL, and its start() does nothing when OTEL_SDK_DISABLED.
  const logLevel = getStringFromEnv('OTEL_LOG_LEVEL');
  if (logLevel !== undefined) {
    diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(logLevel) });
  }
  if (!getBooleanFromEnv('OTEL_SDK_DISABLED')) {
    const contextManager = new AsyncLocalStorageContextManager();
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    const propagator = propagatorFromEnv();
    if (propagator) propagation.setGlobalPropagator(propagator);
  }
  // The handle's context.disable() disables the manager and propagation.disable() the propagator.
  return { shutdown: () => Promise.resolve() };
}

/** NodeSDK's reading of `OTEL_PROPAGATORS`, restricted to the W3C names: null installs none. */
function propagatorFromEnv(): TextMapPropagator | null {
  const names = getStringListFromEnv('OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'];
  if (names.includes('none')) return null;
  const unique = [...new Set(names)];
  const propagators = unique.flatMap((name) => W3C_PROPAGATORS.get(name)?.() ?? []);
  if (propagators.length === 0) return null;
  return unique.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}
