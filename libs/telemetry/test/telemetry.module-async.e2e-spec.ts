/**
 * forRootAsync in its own file: nestjs-pino keeps one root pino-http per module registry (the first
 * app's options win), and Jest gives each file a fresh registry.
 */
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { TelemetryModule, type TelemetryModuleOptions } from '@toskamesh/telemetry';
import { LogCapture } from './fixtures/log-capture.js';
import { ItemsController, type ProbeBody } from './fixtures/test-app.js';

const logs = new LogCapture();

@Injectable()
class TelemetryConfig {
  options(metricsEnabled: boolean): TelemetryModuleOptions {
    return {
      serviceName: 'billing-e2e',
      metrics: { path: '/prom', enabled: metricsEnabled },
      logging: { destination: logs },
    };
  }
}

@Module({ providers: [TelemetryConfig], exports: [TelemetryConfig] })
class ConfigModule {}

async function startApp(metricsEnabled: boolean): Promise<{ app: INestApplication; base: string }> {
  @Module({
    imports: [
      TelemetryModule.forRootAsync({
        imports: [ConfigModule],
        inject: [TelemetryConfig],
        useFactory: async (config: TelemetryConfig) => config.options(metricsEnabled),
      }),
    ],
    controllers: [ItemsController],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}

describe(TelemetryModule.name, () => {
  let first: { app: INestApplication; base: string };
  let second: { app: INestApplication; base: string };

  beforeAll(async () => {
    first = await startApp(true);
    second = await startApp(false);
  });

  afterAll(async () => {
    await first?.app.close();
    await second?.app.close();
  });

  describe('forRootAsync', () => {
    it('serves metrics on the configured path with the route pattern and service_name', async () => {
      expect((await fetch(`${first.base}/items/abc`)).status).toBe(200);
      const scrape = await fetch(`${first.base}/prom`);
      expect(scrape.headers.get('content-type')).toContain('text/plain');
      const text = await scrape.text();
      expect(text).toMatch(
        /http_server_requests_total\{[^}]*route="\/items\/:id"[^}]*service_name="billing-e2e"/,
      );
      expect(text).toContain('process_cpu_user_seconds_total');
      expect((await fetch(`${first.base}/metrics`)).status).toBe(404);
    });

    it('generates a correlation id when the caller sent none and logs it', async () => {
      const response = await fetch(`${first.base}/items/gen`);
      const id = response.headers.get('x-correlation-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const body = (await response.json()) as ProbeBody;
      expect(body.correlationId).toBe(id);
      expect(body.outbound['x-correlation-id']).toBe(id);
      const completed = logs.forCorrelation(id!).find((line) => line.msg === 'request completed');
      expect(completed).toMatchObject({ service: 'billing-e2e', level: 'info', correlationId: id });
    });

    it('replaces a caller correlation id that is not safe to log', async () => {
      const response = await fetch(`${first.base}/items/x`, {
        headers: { 'x-correlation-id': 'bad id\twith tab' },
      });
      expect(response.headers.get('x-correlation-id')).not.toContain('bad');
    });

    it('logs health checks at debug level, below the default info', async () => {
      const response = await fetch(`${first.base}/health`);
      const id = response.headers.get('x-correlation-id')!;
      expect(response.status).toBe(200);
      expect(logs.forCorrelation(id)).toEqual([]);
    });

    it('answers 404 on the scrape path when the factory turned metrics off', async () => {
      expect((await fetch(`${second.base}/items/1`)).status).toBe(200);
      expect((await fetch(`${second.base}/prom`)).status).toBe(404);
    });
  });
});
