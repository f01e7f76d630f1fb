import type { ResolvedStaticRoute, ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import { BalancedPool, type BalancedPoolDeps, type PoolEntry } from './balanced-pool.js';
import { TargetHealth } from './target-health.js';
import { staticTarget, syntheticInstance } from './upstream-targets.js';

/**
 * The pool of one static route: its upstream URLs (base path kept, trailing slash dropped), balanced with
 * the route's strategy, with the same passive ejection and retry budget as a service pool and a breaker
 * keyed `gateway:static:<route>` (service names cannot contain `:`, so the keys never collide).
 */
export class StaticPool extends BalancedPool {
  readonly kind = 'static' as const;

  constructor(route: ResolvedStaticRoute, policy: ResolvedUpstreamPolicy, deps: BalancedPoolDeps) {
    super(route.name, policy, route.strategy, `gateway:static:${route.name}`, deps);
    const entries = new Map<string, PoolEntry>();
    for (const url of route.upstreams) {
      const target = staticTarget(url);
      if (entries.has(target.id)) continue;
      entries.set(target.id, {
        target,
        instance: syntheticInstance(route.name, target),
        health: new TargetHealth(),
      });
    }
    this.replaceEntries(entries);
  }

  /** The upstream list is fixed at start-up. */
  protected sync(): void {}
}
