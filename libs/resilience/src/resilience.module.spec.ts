import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { MeshConfigError } from '@toskamesh/common';
import { Registry } from 'prom-client';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';
import { ResilienceModule } from './resilience.module.js';
import { RetryBudgetRegistry } from './retry-budget.registry.js';

@Injectable()
class SettingsService {
  readonly threshold = 4;
}

@Module({ providers: [SettingsService], exports: [SettingsService] })
class SettingsModule {}

describe(ResilienceModule.name, () => {
  let app: TestingModule | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('forRoot', () => {
    it('provides both registries configured from the options', async () => {
      const metricsRegistry = new Registry();
      app = await Test.createTestingModule({
        imports: [
          ResilienceModule.forRoot({
            circuitBreaker: { volumeThreshold: 5 },
            circuitBreakers: { batch: { resetTimeout: 60_000 } },
            retryBudget: { minRetriesPerSecond: 1, windowMs: 1_000 },
            metricsRegistry,
          }),
        ],
      }).compile();
      const breakers = app.get(CircuitBreakerRegistry);
      expect(breakers.get('orders').options.volumeThreshold).toBe(5);
      expect(breakers.get('batch').options.resetTimeout).toBe(60_000);
      expect(app.get(RetryBudgetRegistry).budget('orders').balance()).toBe(1);
      expect(metricsRegistry.getSingleMetric('toskamesh_resilience_circuit_state')).toBeDefined();
    });

    it('stops every breaker when the application shuts down', async () => {
      app = await Test.createTestingModule({
        imports: [ResilienceModule.forRoot({ metricsRegistry: new Registry() })],
      }).compile();
      const breaker = app.get(CircuitBreakerRegistry).get('orders');
      await app.close();
      app = undefined;
      expect(breaker.isShutdown).toBe(true);
    });

    it('refuses to start with invalid options', async () => {
      const compiling = Test.createTestingModule({
        imports: [ResilienceModule.forRoot({ circuitBreaker: { errorThresholdPercentage: 150 } })],
      }).compile();
      await expect(compiling).rejects.toThrow(MeshConfigError);
      await expect(compiling).rejects.toThrow(/circuitBreaker\.errorThresholdPercentage/);
    });

    it('registers globally with isGlobal', async () => {
      @Injectable()
      class Consumer {
        constructor(readonly breakers: CircuitBreakerRegistry) {}
      }
      @Module({ providers: [Consumer] })
      class FeatureModule {}
      app = await Test.createTestingModule({
        imports: [
          ResilienceModule.forRoot({ isGlobal: true, metricsRegistry: new Registry() }),
          FeatureModule,
        ],
      }).compile();
      expect(app.get(Consumer).breakers).toBe(app.get(CircuitBreakerRegistry));
    });
  });

  describe('forRootAsync', () => {
    it('builds the options from injected providers', async () => {
      app = await Test.createTestingModule({
        imports: [
          ResilienceModule.forRootAsync({
            imports: [SettingsModule],
            inject: [SettingsService],
            useFactory: (settings: SettingsService) => ({
              circuitBreaker: { volumeThreshold: settings.threshold },
              retry: { maxAttempts: 2 },
              metricsRegistry: new Registry(),
            }),
          }),
        ],
      }).compile();
      expect(app.get(CircuitBreakerRegistry).get('x').options.volumeThreshold).toBe(4);
    });
  });
});
