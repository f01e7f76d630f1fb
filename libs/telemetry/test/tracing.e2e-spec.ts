/**
 * Own file: the OpenTelemetry SDK patches `http` and sets API globals for the whole process, so it
 * starts here before Nest is imported (dynamic imports below) and is shut down in afterAll.
 */
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTelemetry, type TelemetryHandle } from '@toskamesh/telemetry';
import { LogCapture } from './fixtures/log-capture.js';
import { OtlpCollector } from './fixtures/otlp-collector.js';
import type { ProbeBody } from './fixtures/test-app.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

describe('startTelemetry', () => {
  const collector = new OtlpCollector();
  const logs = new LogCapture();
  let telemetry: TelemetryHandle;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const endpoint = await collector.start();
    telemetry = startTelemetry({ serviceName: 'tracing-e2e', tracing: { otlpEndpoint: endpoint } }, {});
    const { Module } = await import('@nestjs/common');
    const { Test } = await import('@nestjs/testing');
    const { Logger } = await import('nestjs-pino');
    const { TelemetryModule } = await import('@toskamesh/telemetry');
    const { ItemsController } = await import('./fixtures/test-app.js');
    @Module({
      imports: [TelemetryModule.forRoot({ serviceName: 'tracing-e2e', logging: { destination: logs } })],
      controllers: [ItemsController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await telemetry?.shutdown();
    await collector.stop();
  });

  it('continues an incoming traceparent and exports the spans over OTLP', async () => {
    const response = await fetch(`${base}/traced/9`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`, 'x-correlation-id': 'trace-corr-1' },
    });
    const body = (await response.json()) as ProbeBody;
    expect(body.traceId).toBe(TRACE_ID);
    expect(body.outbound.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    await telemetry.flush();
    const spans = collector.spans.filter((span) => span.traceId === TRACE_ID);
    const server = spans.find((span) => span.name === 'GET /traced/:id');
    const child = spans.find((span) => span.name === 'load item');
    expect(server).toMatchObject({ kind: 2, parentSpanId: PARENT_SPAN_ID, serviceName: 'tracing-e2e' });
    expect(child).toMatchObject({ parentSpanId: server!.spanId, serviceName: 'tracing-e2e' });
    const lines = logs.forCorrelation('trace-corr-1');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.traceId === TRACE_ID)).toBe(true);
  });
});
