import { Module } from '@nestjs/common';
import { InFlightTracker } from './in-flight.tracker.js';
import { LoadBalancerRegistry } from './load-balancer.registry.js';
import type { LoadBalancingModuleOptions } from './load-balancing-options.js';
import {
  ConfigurableModuleClass,
  MESH_LOAD_BALANCING_MODULE_OPTIONS,
} from './load-balancing.module-definition.js';

/**
 * Provides {@link LoadBalancerRegistry} (one balancer per service, strategy from instance metadata) and
 * the shared {@link InFlightTracker}. Global by default; pass `isGlobal: false` to scope it.
 *
 * @example
 * LoadBalancingModule.forRoot({ defaultStrategy: 'LeastConnections' })
 */
@Module({
  providers: [
    InFlightTracker,
    {
      provide: LoadBalancerRegistry,
      // Validation runs here, so a bad option fails the app at start-up.
      useFactory: (options: LoadBalancingModuleOptions, inFlight: InFlightTracker) =>
        new LoadBalancerRegistry(options, inFlight),
      inject: [MESH_LOAD_BALANCING_MODULE_OPTIONS, InFlightTracker],
    },
  ],
  exports: [LoadBalancerRegistry, InFlightTracker],
})
export class LoadBalancingModule extends ConfigurableModuleClass {}
