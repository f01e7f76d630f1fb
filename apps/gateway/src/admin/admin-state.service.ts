import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreakerRegistry, type CircuitBreakerSnapshot } from '@toskamesh/resilience';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { GATEWAY_OPTIONS } from '../gateway.tokens.js';
import { ServiceCatalog } from '../routing/service-catalog.js';
import type { PoolSnapshot } from '../upstream/upstream-pool.js';
import { UpstreamPools } from '../upstream/upstream-pools.js';

/** `GET <admin>/routes`. */
export interface AdminRoutes {
  routePrefix: string;
  /** Every service the registry knows, with its Healthy and total instance counts. */
  services: { name: string; route: string; healthy: number; instances: number }[];
  staticRoutes: {
    name: string;
    pathPrefix: string;
    upstreams: string[];
    stripPrefix: boolean;
    strategy: string;
  }[];
}

/** `GET <admin>/instances`. */
export interface AdminInstances {
  /** Pools the gateway has routed to so far: targets with in-flight counts, failures and ejections. */
  pools: PoolSnapshot[];
  /** Every instance the registry reports, whatever its status. */
  registry: {
    service: string;
    serviceId: string;
    url: string;
    status: string;
    lastHeartbeatAt: string | null;
  }[];
}

/** Reads the gateway's state for the admin API (no writes: the API is read-only). */
@Injectable()
export class AdminStateService {
  constructor(
    @Inject(GATEWAY_OPTIONS) private readonly options: ResolvedGatewayOptions,
    private readonly catalog: ServiceCatalog,
    private readonly pools: UpstreamPools,
    private readonly breakers: CircuitBreakerRegistry,
  ) {}

  routes(): AdminRoutes {
    const { routePrefix, staticRoutes } = this.options;
    return {
      routePrefix,
      services: this.catalog.services().map((name) => ({
        name,
        route: `${routePrefix}${name}/`,
        healthy: this.catalog.instances(name)?.length ?? 0,
        instances: this.catalog.allInstances(name).length,
      })),
      staticRoutes: staticRoutes.map((route) => ({
        name: route.name,
        pathPrefix: route.pathPrefix,
        upstreams: route.upstreams.map((url) => url.href),
        stripPrefix: route.stripPrefix,
        strategy: route.strategy,
      })),
    };
  }

  instances(): AdminInstances {
    return {
      pools: this.pools.snapshots(),
      registry: this.catalog.services().flatMap((service) =>
        this.catalog.allInstances(service).map((instance) => ({
          service,
          serviceId: instance.serviceId,
          url: `${instance.scheme}://${instance.address}:${instance.port}`,
          status: instance.status,
          lastHeartbeatAt: instance.lastHeartbeatAt?.toISOString() ?? null,
        })),
      ),
    };
  }

  breakerStates(): CircuitBreakerSnapshot[] {
    return this.breakers.states();
  }
}
