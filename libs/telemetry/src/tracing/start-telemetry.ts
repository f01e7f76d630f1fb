import { resolveStartOptions } from '../telemetry-options.resolve.js';
import type { StartTelemetryOptions } from '../telemetry-options.js';
import type { SdkSettings } from './telemetry-backend.js';
import { SdkTelemetryHandle, type TelemetryHandle } from './telemetry-sdk.js';

/**
 * Where the running handle lives. Global on purpose: the SDK patches process-wide modules (`http`) and
 * OpenTelemetry's API globals, so one handle per realm is the truth; `Symbol.for` keeps it single
 * even when two copies of this package are installed.
 */
const HANDLE = Symbol.for('toskamesh.telemetry.handle');

type HandleHolder = { [HANDLE]?: TelemetryHandle };

/**
 * Starts OpenTelemetry for this process: W3C trace-context propagation always, and span export over
 * OTLP/HTTP when tracing is enabled (by option, `Mesh__Telemetry__TracingEnabled`, or an OTLP endpoint
 * from `tracing.otlpEndpoint` / `Mesh__Telemetry__OtlpEndpoint` / `OTEL_EXPORTER_OTLP_ENDPOINT`).
 *
 * Call it before the application's modules are imported: HttpInstrumentation patches `http` when it is
 * loaded, so put it in a file loaded first (`node --import ./dist/instrumentation.js dist/main.js`) or
 * at the top of `main.ts` followed by a dynamic `await import('./app.module.js')`.
 *
 * Idempotent: while a handle is running, later calls return it unchanged (their options are ignored).
 * After `shutdown()` a new call starts a new SDK.
 */
export function startTelemetry(
  options: StartTelemetryOptions,
  env: Record<string, string | undefined> = process.env,
): TelemetryHandle {
  const running = runningTelemetry();
  return running ?? ensureTelemetry(resolveStartOptions(options, env)).handle;
}

/** Starts the SDK with resolved settings unless one runs; `started` tells whether this call did. */
export function ensureTelemetry(settings: SdkSettings): { handle: TelemetryHandle; started: boolean } {
  const holder = globalThis as HandleHolder;
  const running = holder[HANDLE];
  if (running) return { handle: running, started: false };
  const handle: TelemetryHandle = new SdkTelemetryHandle(settings, () => {
    if (holder[HANDLE] === handle) delete holder[HANDLE];
  });
  holder[HANDLE] = handle;
  return { handle, started: true };
}

/** The handle `startTelemetry()` returned, while it runs. */
export function runningTelemetry(): TelemetryHandle | undefined {
  return (globalThis as HandleHolder)[HANDLE];
}
