import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TelemetryModule } from '@toskamesh/telemetry';
import { APP_FILTER } from '@nestjs/core';
import { DiscoveryAuthGuard } from './auth/discovery-auth.guard.js';
import { DiscoveryAuthorizer } from './auth/discovery-authorizer.service.js';
import { tokenVerifierProvider } from './auth/mesh-token.verifier.js';
import { resolveDiscoveryOptions } from './config/resolve-discovery-options.js';
import type { DiscoveryAppOptions } from './config/discovery-options.js';
import { DISCOVERY_APP_MODULE_OPTIONS, DiscoveryAppModuleClass } from './discovery-app.module-definition.js';
import { DISCOVERY_OPTIONS } from './discovery-app.tokens.js';
import { DiscoveryQueryService } from './discovery/discovery-query.service.js';
import { DiscoveryController } from './discovery/discovery.controller.js';
import { WatchController } from './discovery/watch.controller.js';
import { DiscoveryGrpcController } from './grpc/discovery-grpc.controller.js';
import { EnvelopeInterceptor } from './http/envelope.interceptor.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { DiscoveryHealthController } from './health/discovery-health.controller.js';
import { HealthProber } from './probing/health-prober.service.js';
import { HttpProbeClient } from './probing/http-probe.client.js';
import { RegistrationController } from './registration/registration.controller.js';
import { RegistrationService } from './registration/registration.service.js';
import { StoreLifecycle, storeRegistryProvider } from './store/store-registry.provider.js';
import { InstanceTracker } from './tracking/instance-tracker.service.js';
import { ChangeFeed } from './watch/change-feed.service.js';
import { WatchHub } from './watch/watch-hub.service.js';

/**
 * The discovery service as a Nest module: REST controllers (`/api/ServiceRegistration`,
 * `/api/ServiceDiscovery`, SSE watch), the gRPC controller (served when the app connects the gRPC
 * transport, see `createDiscoveryApp`), probing, tracking and the change feed over the chosen store.
 * Wiring only; options are validated when the module starts.
 */
@Module({
  // Telemetry: `/metrics` with RED metrics and JSON logs with correlation ids (level from LOG_LEVEL).
  imports: [TerminusModule, TelemetryModule.forRoot({ serviceName: 'discovery' })],
  controllers: [
    RegistrationController,
    DiscoveryController,
    WatchController,
    DiscoveryGrpcController,
    DiscoveryHealthController,
  ],
  providers: [
    {
      provide: DISCOVERY_OPTIONS,
      useFactory: (options: DiscoveryAppOptions) => resolveDiscoveryOptions(options),
      inject: [DISCOVERY_APP_MODULE_OPTIONS],
    },
    storeRegistryProvider,
    tokenVerifierProvider,
    StoreLifecycle,
    ChangeFeed,
    WatchHub,
    InstanceTracker,
    HttpProbeClient,
    HealthProber,
    DiscoveryAuthorizer,
    DiscoveryAuthGuard,
    RegistrationService,
    DiscoveryQueryService,
    EnvelopeInterceptor,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
  exports: [DISCOVERY_OPTIONS, ChangeFeed, InstanceTracker, HealthProber, RegistrationService],
})
export class DiscoveryAppModule extends DiscoveryAppModuleClass {}
