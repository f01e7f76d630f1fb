/**
 * Regression: every mesh process paid ~25 MB RSS and start-up time for `@opentelemetry/sdk-node`, its
 * exporters and instrumentations even with tracing disabled (the default), because startTelemetry()
 * started a NodeSDK only to install the context manager and the W3C propagators. The children run the
 * sources in plain Node (test/fixtures/source-hooks.mjs) so the module graph seen is Node's, not Jest's.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const CHILD = fileURLToPath(new URL('./fixtures/start-telemetry-child.mjs', import.meta.url));
const CHILD_TIMEOUT_MS = 45_000;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const SDK_PACKAGES = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/resources',
  '@opentelemetry/instrumentation',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-nestjs-core',
  '@opentelemetry/exporter-trace-otlp-http',
];

/** What start-telemetry-child.mjs prints. */
interface ChildReport {
  tracingEnabled: boolean;
  otelPackages: string[];
  running: Record<string, string>;
  stopped: Record<string, string>;
  rssBytes: number;
}

/** Runs the child without this process's OTEL_ and Mesh__ variables, plus `env`. */
function runChild(env: Record<string, string>): Promise<ChildReport> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('OTEL_') && !key.startsWith('Mesh__') && key !== 'NODE_OPTIONS',
    ),
  );
  const child = spawn(process.execPath, [CHILD], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`child exited with ${code ?? signal}\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      resolve(JSON.parse(line) as ChildReport);
    });
  });
}

describe('startTelemetry in a fresh process', () => {
  it('does not load the SDK with tracing disabled, and still continues a traceparent', async () => {
    const report = await runChild({});
    expect(report.tracingEnabled).toBe(false);
    for (const name of SDK_PACKAGES) expect(report.otelPackages).not.toContain(name);
    expect(report.otelPackages).toContain('@opentelemetry/context-async-hooks');
    expect(report.running).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(report.stopped).toEqual({});
  }, 60_000);

  it('does not load the SDK when OTEL_PROPAGATORS names only W3C propagators', async () => {
    const report = await runChild({ OTEL_PROPAGATORS: ' baggage ,tracecontext' });
    for (const name of SDK_PACKAGES) expect(report.otelPackages).not.toContain(name);
    expect(report.running).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
  }, 60_000);

  // The positive control: the same detection does see the SDK when it is loaded.
  it('starts the SDK, without exporting, for a propagator only the SDK provides (b3)', async () => {
    const report = await runChild({ OTEL_PROPAGATORS: 'b3' });
    expect(report.tracingEnabled).toBe(false);
    expect(report.otelPackages).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-node', '@opentelemetry/propagator-b3']),
    );
    expect(report.running).toEqual({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    expect(report.stopped).toEqual({});
  }, 60_000);
});
