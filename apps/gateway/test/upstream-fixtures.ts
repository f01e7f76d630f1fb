// Fixtures shared by the upstream specs (src/upstream/*.spec.ts and test/upstream-*.e2e-spec.ts): a policy
// built from the production defaults, a registry instance, a catalog and a breaker registry. Test-only:
// tsconfig.build.json compiles src alone, so nothing here reaches dist.
import type { ServiceInstance } from '@toskamesh/common';
import { CircuitBreakerRegistry } from '@toskamesh/resilience';
import { Registry } from 'prom-client';
import { UPSTREAM_DEFAULTS } from '../src/config/resolve-upstream-policy.js';
import type {
  ResolvedGatewayOptions,
  ResolvedUpstreamPolicy,
} from '../src/config/resolved-gateway-options.js';
import type { InstanceSource } from '../src/upstream/instance-source.js';

/** What a spec changes in {@link UPSTREAM_DEFAULTS}; each section is merged over its default. */
export interface TestPolicyOverrides {
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly strategy?: ResolvedUpstreamPolicy['strategy'];
  readonly hashHeaders?: readonly string[];
  readonly retry?: Partial<ResolvedUpstreamPolicy['retry']>;
  readonly ejection?: Partial<ResolvedUpstreamPolicy['ejection']>;
  readonly breaker?: Partial<ResolvedUpstreamPolicy['breaker']>;
}

/**
 * A resolved upstream policy: the production defaults with `overrides` merged per section, so a spec
 * states only the values its assertions depend on.
 */
export function testPolicy(overrides: TestPolicyOverrides = {}): ResolvedUpstreamPolicy {
  const d = UPSTREAM_DEFAULTS;
  const { retry, ejection, breaker, ...top } = overrides;
  return {
    ...d,
    ...top,
    // Fresh arrays, so no spec can reach the shared defaults through the policy it was given.
    hashHeaders: [...(top.hashHeaders ?? d.hashHeaders)],
    retry: {
      ...d.retry,
      ...retry,
      retryOnStatuses: [...(retry?.retryOnStatuses ?? d.retry.retryOnStatuses)],
    },
    ejection: { ...d.ejection, ...ejection },
    breaker: { ...d.breaker, ...breaker },
  };
}

/** A Healthy `orders` instance at 127.0.0.1:9000 over http, with `overrides` applied. */
export function testInstance(id: string, overrides: Partial<ServiceInstance> = {}): ServiceInstance {
  return {
    serviceName: 'orders',
    serviceId: id,
    address: '127.0.0.1',
    port: 9000,
    scheme: 'http',
    status: 'Healthy',
    metadata: {},
    tags: [],
    registeredAt: new Date(0),
    lastHeartbeatAt: null,
    ...overrides,
  };
}

/** An {@link InstanceSource} over a map keyed by lower-cased service name; specs edit `lists` directly. */
export class TestCatalog implements InstanceSource {
  readonly lists: Map<string, readonly ServiceInstance[]>;

  constructor(entries: Iterable<readonly [string, readonly ServiceInstance[]]> = []) {
    this.lists = new Map(entries);
  }

  instances(service: string): readonly ServiceInstance[] | undefined {
    return this.lists.get(service.toLowerCase());
  }
}

/** A breaker registry on its own prom-client registry, so specs never clash on metric names. */
export function testBreakers(): CircuitBreakerRegistry {
  return new CircuitBreakerRegistry({ metricsRegistry: new Registry() });
}

/** The parts of the gateway options that pools and the prober read; the rest does not matter to them. */
export type TestGatewayOptions = Pick<ResolvedGatewayOptions, 'upstream' | 'activeProbes'> &
  Partial<Pick<ResolvedGatewayOptions, 'staticRoutes' | 'services'>>;

/** Gateway options carrying only `parts` (no static routes or per-service policies unless given). */
export function testGatewayOptions(parts: TestGatewayOptions): ResolvedGatewayOptions {
  return {
    staticRoutes: [],
    services: new Map(),
    ...parts,
  } as Partial<ResolvedGatewayOptions> as ResolvedGatewayOptions;
}
