import type { LoggerService } from '@nestjs/common';
import type { InFlightTracker } from './in-flight.tracker.js';
import type { RandomSource } from './random-source.js';

/** What balancers may share or have injected; every field is optional. */
export interface LoadBalancerDeps {
  /**
   * In-flight counts read by least-connections and power-of-two-choices. Share one tracker between the
   * balancers and the code that sends requests. @default a new private InFlightTracker
   */
  inFlight?: InFlightTracker;
  /** Random source, injectable for deterministic tests. @default Math.random */
  random?: RandomSource;
  /** Where weighted round-robin reports invalid `weight` metadata. @default new Logger('LoadBalancing') */
  logger?: Pick<LoggerService, 'warn'>;
}
