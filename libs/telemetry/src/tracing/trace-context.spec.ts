import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context } from '@opentelemetry/api';
import { runWithCorrelationId } from '../correlation/correlation-id.js';
import { startTelemetry } from './start-telemetry.js';
import type { TelemetryHandle } from './telemetry-sdk.js';
import {
  currentSpanId,
  currentTraceId,
  injectTraceHeaders,
  requestTraceContext,
  traceLogFields,
  withSpan,
} from './trace-context.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

/** Tracing disabled: only the propagator and context manager are installed, nothing is exported. */
describe('trace context with tracing disabled', () => {
  let telemetry: TelemetryHandle;

  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'unit' }, {});
  });

  afterAll(async () => {
    await telemetry.shutdown();
  });

  describe('currentTraceId', () => {
    it('is undefined outside any trace', () => {
      expect(currentTraceId()).toBeUndefined();
      expect(traceLogFields()).toEqual({});
    });

    it('returns the ids propagated in traceparent inside the request context', () => {
      const ctx = requestTraceContext({ traceparent: TRACEPARENT });
      context.with(ctx, () => {
        expect(currentTraceId()).toBe(TRACE_ID);
        expect(currentSpanId()).toBe(PARENT_ID);
        expect(traceLogFields()).toEqual({ traceId: TRACE_ID, spanId: PARENT_ID });
      });
    });

    it('ignores a malformed traceparent', () => {
      context.with(requestTraceContext({ traceparent: '00-zz-yy-01' }), () => {
        expect(currentTraceId()).toBeUndefined();
      });
    });
  });

  describe('injectTraceHeaders', () => {
    it('continues the propagated trace and adds the correlation id', () => {
      const headers = runWithCorrelationId('corr-9', () =>
        context.with(requestTraceContext({ traceparent: TRACEPARENT }), () =>
          injectTraceHeaders<Record<string, string>>({ accept: 'application/json' }),
        ),
      );
      expect(headers).toEqual({
        accept: 'application/json',
        traceparent: TRACEPARENT,
        'x-correlation-id': 'corr-9',
      });
    });

    it('keeps a correlation id the caller set explicitly', () => {
      const headers = runWithCorrelationId('ambient', () =>
        injectTraceHeaders({ 'x-correlation-id': 'explicit' }),
      );
      expect(headers['x-correlation-id']).toBe('explicit');
    });

    it('adds nothing outside a request', () => {
      expect(injectTraceHeaders({})).toEqual({});
    });
  });

  describe('withSpan', () => {
    it('returns the result and keeps the propagated trace id inside', async () => {
      const seen = await context.with(requestTraceContext({ traceparent: TRACEPARENT }), () =>
        withSpan('step', async () => currentTraceId()),
      );
      expect(seen).toBe(TRACE_ID);
    });

    it('rethrows what the function throws', async () => {
      await expect(
        withSpan('failing', () => {
          throw new Error('nope');
        }),
      ).rejects.toThrow('nope');
    });
  });
});
