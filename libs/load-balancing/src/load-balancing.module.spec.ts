import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MeshConfigError } from '@toskamesh/common';
import { InFlightTracker } from './in-flight.tracker.js';
import { LoadBalancerRegistry } from './load-balancer.registry.js';
import { LoadBalancingModule } from './load-balancing.module.js';

@Injectable()
class StrategySettings {
  readonly strategy = 'LeastConnections' as const;
}

@Module({ providers: [StrategySettings], exports: [StrategySettings] })
class SettingsModule {}

describe(LoadBalancingModule.name, () => {
  describe('forRoot', () => {
    it('provides the registry with the configured default and the shared tracker', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [LoadBalancingModule.forRoot({ defaultStrategy: 'RoundRobin' })],
      }).compile();
      const registry = moduleRef.get(LoadBalancerRegistry);
      expect(registry.options.defaultStrategy).toBe('RoundRobin');
      expect(registry.inFlight).toBe(moduleRef.get(InFlightTracker));
      await moduleRef.close();
    });

    it('defaults to PowerOfTwoChoices', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [LoadBalancingModule.forRoot({})],
      }).compile();
      expect(moduleRef.get(LoadBalancerRegistry).options.defaultStrategy).toBe('PowerOfTwoChoices');
      await moduleRef.close();
    });

    it('is global unless isGlobal is false', () => {
      expect(LoadBalancingModule.forRoot({}).global).toBe(true);
      expect(LoadBalancingModule.forRoot({ isGlobal: false }).global).toBe(false);
    });

    it('refuses to start with an unknown default strategy', async () => {
      const compiling = Test.createTestingModule({
        imports: [LoadBalancingModule.forRoot({ defaultStrategy: 'Fastest' as never })],
      }).compile();
      await expect(compiling).rejects.toThrow(MeshConfigError);
    });
  });

  describe('forRootAsync', () => {
    it('builds the options from an injected provider', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          LoadBalancingModule.forRootAsync({
            imports: [SettingsModule],
            inject: [StrategySettings],
            useFactory: (settings: StrategySettings) => ({ defaultStrategy: settings.strategy }),
          }),
        ],
      }).compile();
      expect(moduleRef.get(LoadBalancerRegistry).options.defaultStrategy).toBe('LeastConnections');
      await moduleRef.close();
    });

    it('accepts an async factory', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          LoadBalancingModule.forRootAsync({
            useFactory: () => Promise.resolve({ defaultStrategy: 'Random' as const }),
          }),
        ],
      }).compile();
      const registry = moduleRef.get(LoadBalancerRegistry);
      expect(registry.forService('orders', []).strategy).toBe('Random');
      await moduleRef.close();
    });
  });
});
