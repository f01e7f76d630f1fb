import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { TelemetryModule, UNMATCHED_ROUTE } from '@toskamesh/telemetry';
import { LogCapture } from './fixtures/log-capture.js';
import { ItemsController, type ProbeBody } from './fixtures/test-app.js';

const logs = new LogCapture();

@Module({
  imports: [
    TelemetryModule.forRoot({ serviceName: 'orders-e2e', logging: { destination: logs, level: 'debug' } }),
  ],
  controllers: [ItemsController],
})
class AppModule {}

describe(TelemetryModule.name, () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('forRoot', () => {
    it('serves RED metrics per route pattern with the service_name label', async () => {
      expect((await fetch(`${base}/items/41`)).status).toBe(200);
      expect((await fetch(`${base}/items/42`)).status).toBe(200);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(
        /http_server_requests_total\{method="GET",route="\/items\/:id",status_code="200",service_name="orders-e2e"\} 2/,
      );
    });

    it('counts a handler error with its final status 500 and a 404 as unmatched', async () => {
      expect((await fetch(`${base}/items/7/fail`)).status).toBe(500);
      expect((await fetch(`${base}/no/such/path`)).status).toBe(404);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(
        /http_server_requests_total\{method="GET",route="\/items\/:id\/fail",status_code="500"/,
      );
      expect(text).toContain(`route="${UNMATCHED_ROUTE}",status_code="404"`);
      expect(text).not.toContain('route="/metrics"');
    });

    it('echoes x-correlation-id and logs it with the service name', async () => {
      const response = await fetch(`${base}/items/5`, { headers: { 'x-correlation-id': 'corr-e2e-1' } });
      expect(response.headers.get('x-correlation-id')).toBe('corr-e2e-1');
      const body = (await response.json()) as ProbeBody;
      expect(body.correlationId).toBe('corr-e2e-1');
      const lines = logs.forCorrelation('corr-e2e-1');
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['item requested', 'request completed']),
      );
      expect(lines.every((line) => line.service === 'orders-e2e')).toBe(true);
    });

    it('redacts credentials from request logs', async () => {
      await fetch(`${base}/items/8`, {
        headers: { 'x-correlation-id': 'corr-e2e-3', authorization: 'Bearer secret-token' },
      });
      const completed = logs.forCorrelation('corr-e2e-3').find((line) => line.msg === 'request completed');
      expect(completed?.req).toMatchObject({ headers: { authorization: '[REDACTED]' } });
      expect(completed?.req).not.toHaveProperty('params');
      expect(JSON.stringify(logs.lines)).not.toContain('secret-token');
    });

    it('continues a caller traceparent with tracing disabled (propagation only)', async () => {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const response = await fetch(`${base}/items/6`, {
        headers: { traceparent, 'x-correlation-id': 'corr-e2e-2' },
      });
      const body = (await response.json()) as ProbeBody;
      expect(body.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(body.outbound).toEqual({ traceparent, 'x-correlation-id': 'corr-e2e-2' });
      const lines = logs.forCorrelation('corr-e2e-2');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.every((line) => line.traceId === '0af7651916cd43dd8448eb211c80319c')).toBe(true);
    });

    it('does not count the scrape of /metrics itself', async () => {
      await fetch(`${base}/metrics`);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).not.toMatch(/route="\/metrics"/);
    });
  });
});
