import type { LoggerService } from '@nestjs/common';
import type { LoadBalancingStrategyName, ServiceInstance } from '@toskamesh/common';
import {
  createLoadBalancer,
  InFlightTracker,
  weightOf,
  type LoadBalancer,
  type RandomSource,
} from '@toskamesh/load-balancing';
import { RetryBudget, type CircuitBreakerRegistry } from '@toskamesh/resilience';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import { OutlierEjection, type ProbeEjectionSettings } from './outlier-ejection.js';
import { PoolBreaker } from './pool-breaker.js';
import type { TargetHealth } from './target-health.js';
import type { UpstreamEventListener } from './upstream-events.js';
import type {
  AttemptResult,
  PickedTarget,
  PickRequest,
  PoolSnapshot,
  TargetSnapshot,
  UpstreamPool,
  UpstreamTarget,
} from './upstream-pool.js';

/** One target of a pool: where to send, what the balancer sees, and its health (kept across re-syncs). */
export interface PoolEntry {
  readonly target: UpstreamTarget;
  /** What the load-balancing lib balances (a synthetic instance for static targets). */
  readonly instance: ServiceInstance;
  readonly health: TargetHealth;
}

/** What every pool shares: the breaker registry, the clock, logging and events. */
export interface BalancedPoolDeps {
  readonly breakers: CircuitBreakerRegistry;
  readonly now: () => number;
  readonly logger: Pick<LoggerService, 'log' | 'warn'>;
  readonly events?: UpstreamEventListener;
  /** Random source of the balancers (seeded in tests). @default Math.random */
  readonly random?: RandomSource;
  readonly probes: ProbeEjectionSettings;
}

/** Ends one attempt exactly once: releases its in-flight slot and reports the outcome to the pool. */
class PickedAttempt implements PickedTarget {
  readonly target: UpstreamTarget;
  private done = false;

  constructor(
    private readonly pool: BalancedPool,
    private readonly entry: PoolEntry,
    private readonly release: () => void,
  ) {
    this.target = entry.target;
  }

  finish(result: AttemptResult): void {
    if (this.done) return;
    this.done = true;
    this.release();
    this.pool.recordResult(this.entry, result);
  }
}

/**
 * The machinery of every {@link UpstreamPool}: a balancer over the available (not ejected) targets with
 * an in-flight tracker it shares, passive ejection, a retry budget and the breaker. Subclasses supply the
 * targets through {@link replaceEntries} and refresh them in {@link sync}, which runs on every pick.
 *
 * The available list is cached and rebuilt only when something changed or an ejection's time is up, so
 * a pick costs a reference check, the balancer and two small allocations.
 */
export abstract class BalancedPool implements UpstreamPool {
  abstract readonly kind: 'service' | 'static';
  protected entries = new Map<string, PoolEntry>();
  protected readonly inFlight = new InFlightTracker();
  private balancer: LoadBalancer;
  private available: readonly ServiceInstance[] = [];
  private stale = true;
  /** Earliest end of a passive ejection; Infinity when none is running. */
  private nextRestoreAt = Infinity;
  private readonly ejection: OutlierEjection;
  private readonly budget: RetryBudget;
  private readonly breaker: PoolBreaker | undefined;

  protected constructor(
    readonly name: string,
    readonly policy: ResolvedUpstreamPolicy,
    strategy: LoadBalancingStrategyName,
    breakerKey: string,
    protected readonly deps: BalancedPoolDeps,
  ) {
    this.balancer = this.createBalancer(strategy);
    const scope = {
      name,
      isLastAvailable: (id: string) => this.isLastAvailable(id),
      invalidate: () => {
        this.stale = true;
      },
    };
    this.ejection = new OutlierEjection(scope, policy.ejection, deps.probes, deps);
    this.budget = new RetryBudget(
      { ratio: policy.retry.budgetRatio, minRetriesPerSecond: policy.retry.minRetriesPerSecond },
      deps.now,
    );
    this.breaker = policy.breaker.enabled
      ? new PoolBreaker(deps.breakers, breakerKey, policy.breaker)
      : undefined;
  }

  /** Brings the target list up to date; called before every read, so it must be cheap when unchanged. */
  protected abstract sync(): void;

  /** The strategy in use. */
  get strategy(): LoadBalancingStrategyName {
    return this.balancer.strategy;
  }

  availableCount(): number {
    this.sync();
    return this.current().length;
  }

  targetCount(): number {
    this.sync();
    return this.entries.size;
  }

  pick(request: PickRequest): PickedTarget | undefined {
    this.sync();
    const instance = this.balancer.pick(this.current(), request);
    if (instance === undefined) return undefined;
    const entry = this.entries.get(instance.serviceId);
    if (entry === undefined) return undefined;
    return new PickedAttempt(this, entry, this.inFlight.acquire(instance.serviceId));
  }

  tryRetry(): boolean {
    return this.budget.tryWithdraw();
  }

  recordFirstAttempt(): void {
    this.budget.deposit();
  }

  throughBreaker<T>(attempt: () => Promise<T>, isFailure: (result: T) => boolean): Promise<T> {
    return this.breaker ? this.breaker.run(attempt, isFailure) : attempt();
  }

  snapshot(): PoolSnapshot {
    this.sync();
    this.current();
    const now = this.deps.now();
    const targets = [...this.entries.values()].map((entry) => this.targetSnapshot(entry, now));
    const breaker = this.breaker?.snapshot();
    return {
      name: this.name,
      kind: this.kind,
      strategy: this.strategy,
      targets,
      ...(breaker ? { breaker } : {}),
    };
  }

  /** Every known target, ejected or not (what the active prober probes). */
  targets(): UpstreamTarget[] {
    this.sync();
    return [...this.entries.values()].map((entry) => entry.target);
  }

  /** Counts one active probe of `targetId`; false when the pool does not know that target. */
  recordProbe(targetId: string, healthy: boolean): boolean {
    this.sync();
    const entry = this.entries.get(targetId);
    if (entry === undefined) return false;
    this.ejection.recordProbe(targetId, entry.health, healthy);
    return true;
  }

  /** @internal Called by a picked attempt's `finish`; ignored once the target has left the pool. */
  recordResult(entry: PoolEntry, result: AttemptResult): void {
    if (this.entries.get(entry.target.id)?.health !== entry.health) return;
    this.ejection.recordAttempt(entry.target.id, entry.health, result);
  }

  /**
   * Installs a new target list (entries of targets still present should carry their old health). If
   * every target is ejected afterwards — the available ones left, the ejected ones stayed — they are all
   * put back: trying a suspect target beats refusing every request.
   */
  protected replaceEntries(next: Map<string, PoolEntry>): void {
    this.entries = next;
    this.stale = true;
    if (next.size === 0) return;
    const now = this.deps.now();
    for (const entry of next.values()) if (!entry.health.isEjected(now)) return;
    this.deps.logger.warn(
      `Every remaining target of "${this.name}" is ejected; putting them back in rotation rather than ` +
        `refusing all traffic.`,
    );
    for (const [id, entry] of next) {
      entry.health.restoreNow(now);
      this.deps.events?.restored?.(this.name, id);
    }
  }

  /** Switches the balancing strategy; a balancer with the same strategy keeps its rotation state. */
  protected useStrategy(strategy: LoadBalancingStrategyName): void {
    if (strategy !== this.balancer.strategy) this.balancer = this.createBalancer(strategy);
  }

  private createBalancer(strategy: LoadBalancingStrategyName): LoadBalancer {
    return createLoadBalancer(strategy, {
      inFlight: this.inFlight,
      logger: this.deps.logger,
      ...(this.deps.random ? { random: this.deps.random } : {}),
    });
  }

  /** The available instances, rebuilt when stale or when a passive ejection has run out. */
  private current(): readonly ServiceInstance[] {
    if (this.stale) this.rebuild(this.deps.now());
    else if (this.nextRestoreAt !== Infinity) {
      const now = this.deps.now();
      if (now >= this.nextRestoreAt) this.rebuild(now);
    }
    return this.available;
  }

  private rebuild(now: number): void {
    const available: ServiceInstance[] = [];
    let nextRestoreAt = Infinity;
    for (const [id, entry] of this.entries) {
      const health = entry.health;
      if (health.ejectedUntil > now) nextRestoreAt = Math.min(nextRestoreAt, health.ejectedUntil);
      else if (health.ejectedUntil > 0) this.ejection.recordRestored(id, health);
      if (!health.isEjected(now)) available.push(entry.instance);
    }
    this.available = available;
    this.nextRestoreAt = nextRestoreAt;
    this.stale = false;
  }

  private isLastAvailable(targetId: string): boolean {
    const available = this.current();
    if (available.length === 0) return true;
    return available.length === 1 && available[0]!.serviceId === targetId;
  }

  private targetSnapshot(entry: PoolEntry, now: number): TargetSnapshot {
    const { target, health } = entry;
    return {
      id: target.id,
      url: `${target.origin.origin}${target.basePath}`,
      status: health.isEjected(now) ? 'ejected' : 'healthy',
      inFlight: this.inFlight.count(target.id),
      consecutiveFailures: health.consecutiveFailures,
      ...(health.isPassivelyEjected(now)
        ? { ejectedUntil: new Date(health.ejectedUntil).toISOString() }
        : {}),
      ejections: health.ejections,
      weight: target.instance ? weightOf(target.instance) : 1,
    };
  }
}
