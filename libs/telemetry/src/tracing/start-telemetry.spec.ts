import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { runningTelemetry, startTelemetry } from './start-telemetry.js';

describe('startTelemetry', () => {
  it('returns the running handle on a second call, and a new one after shutdown', async () => {
    const first = startTelemetry({ serviceName: 'unit-a' }, {});
    const second = startTelemetry({ serviceName: 'unit-b' }, {});
    expect(second).toBe(first);
    expect(runningTelemetry()).toBe(first);
    expect(first.serviceName).toBe('unit-a');
    await first.shutdown();
    await first.shutdown();
    expect(runningTelemetry()).toBeUndefined();
    const third = startTelemetry({ serviceName: 'unit-c' }, {});
    expect(third).not.toBe(first);
    await third.shutdown();
  });

  it('keeps tracing off unless an OTLP endpoint is configured', async () => {
    const handle = startTelemetry({ serviceName: 'unit' }, {});
    expect(handle.tracingEnabled).toBe(false);
    expect(handle.tracesUrl).toBeUndefined();
    await handle.flush();
    await handle.shutdown();
  });

  it('refuses tracing enabled without an endpoint, naming the key', () => {
    expect(() => startTelemetry({ serviceName: 'unit', tracing: { enabled: true } }, {})).toThrow(
      MeshConfigError,
    );
    expect(() => startTelemetry({ serviceName: 'unit', tracing: { enabled: true } }, {})).toThrow(
      /"tracing\.otlpEndpoint"/,
    );
    expect(runningTelemetry()).toBeUndefined();
  });

  it('refuses an empty service name', () => {
    expect(() => startTelemetry({ serviceName: ' ' }, {})).toThrow(
      /"serviceName" must be a non-empty string/,
    );
  });
});
