import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RegistryModule, ServiceRegistry, type RegistryModuleOptions } from '@toskamesh/registry';
import { CircuitBreakerRegistry } from '@toskamesh/resilience';
import { TelemetryModule, type TelemetryModuleOptions } from '@toskamesh/telemetry';
import { adminControllerAt } from './admin/admin.controller.js';
import { AdminStateService } from './admin/admin-state.service.js';
import type { ResolvedGatewayOptions } from './config/resolved-gateway-options.js';
import { GATEWAY_FORWARDING_ENGINE, GATEWAY_OPTIONS, GATEWAY_RATE_LIMITER } from './gateway.tokens.js';
import { GatewayHealthController } from './observability/gateway-health.controller.js';
import { GatewayMetrics } from './observability/gateway-metrics.js';
import { createForwardingEngine } from './proxy/engines/create-forwarding-engine.js';
import { ServiceCatalog } from './routing/service-catalog.js';
import { GatewayAuthenticator } from './security/gateway-authenticator.js';
import { createRateLimiter } from './security/rate-limit/create-rate-limiter.js';
import { GatewayRuntime } from './server/gateway-runtime.js';
import { ActiveProber } from './upstream/active-prober.js';
import { UpstreamPools } from './upstream/upstream-pools.js';

/** What {@link GatewayModule.forRoot} needs: checked options, where the registry is, how to log. */
export interface GatewayModuleConfig {
  /** From `resolveGatewayOptions`. */
  readonly options: ResolvedGatewayOptions;
  /** From `gatewayRegistryOptions`, or `{ provider: registryInstance }` (tests). */
  readonly registry: RegistryModuleOptions;
  readonly telemetry: TelemetryModuleOptions;
}

const providers: Provider[] = [
  { provide: CircuitBreakerRegistry, useFactory: () => new CircuitBreakerRegistry() },
  {
    provide: ServiceCatalog,
    useFactory: (registry: ServiceRegistry) => new ServiceCatalog(registry),
    inject: [ServiceRegistry],
  },
  { provide: GatewayMetrics, useFactory: () => new GatewayMetrics() },
  {
    provide: UpstreamPools,
    useFactory: (
      catalog: ServiceCatalog,
      options: ResolvedGatewayOptions,
      breakers: CircuitBreakerRegistry,
      metrics: GatewayMetrics,
    ) =>
      new UpstreamPools({
        catalog,
        options,
        breakers,
        events: {
          // The last available target is kept in rotation (and logged), not ejected: not counted.
          ejected: (pool, _target, _forMs, lastAvailable) => {
            if (!lastAvailable) metrics.series(pool).ejected();
          },
        },
      }),
    inject: [ServiceCatalog, GATEWAY_OPTIONS, CircuitBreakerRegistry, GatewayMetrics],
  },
  {
    provide: ActiveProber,
    useFactory: (pools: UpstreamPools, options: ResolvedGatewayOptions) =>
      new ActiveProber(pools, options.activeProbes),
    inject: [UpstreamPools, GATEWAY_OPTIONS],
  },
  {
    provide: GatewayAuthenticator,
    useFactory: (options: ResolvedGatewayOptions) => new GatewayAuthenticator(options.security),
    inject: [GATEWAY_OPTIONS],
  },
  {
    provide: GATEWAY_RATE_LIMITER,
    useFactory: (options: ResolvedGatewayOptions) =>
      options.rateLimit.enabled ? createRateLimiter(options.rateLimit) : null,
    inject: [GATEWAY_OPTIONS],
  },
  {
    provide: GATEWAY_FORWARDING_ENGINE,
    useFactory: (options: ResolvedGatewayOptions) => createForwardingEngine(options.engine),
    inject: [GATEWAY_OPTIONS],
  },
  GatewayRuntime,
  AdminStateService,
];

/**
 * The gateway as a Nest app: DI and lifecycle for the proxy's parts, the registry (`RegistryModule`),
 * logs, `/metrics` and tracing (`TelemetryModule`), `/health*` and the admin API. The proxy path itself
 * runs outside Nest: `GatewayRuntime.listen()` opens the port and hands Nest only its own paths.
 */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayModuleConfig): DynamicModule {
    const { options } = config;
    return {
      module: GatewayModule,
      imports: [
        TerminusModule,
        TelemetryModule.forRoot(config.telemetry),
        RegistryModule.forRoot(config.registry),
      ],
      controllers: [
        GatewayHealthController,
        ...(options.admin.enabled ? [adminControllerAt(options.admin.path)] : []),
      ],
      providers: [{ provide: GATEWAY_OPTIONS, useValue: options }, ...providers],
      exports: [GatewayRuntime],
    };
  }
}
