import type { Registry } from 'prom-client';
import type { Interceptor } from './interceptor.js';
import { RetryBudget, checkRetryBudgetOptions, type RetryBudgetOptions } from './retry-budget.js';
import { checkRetryOptions, retry, type RetryOptions } from './retry.interceptor.js';

/** The retry settings a registry applies to every target unless a call overrides them. */
export type RetryDefaults = Pick<RetryOptions, 'maxAttempts' | 'backoff' | 'retryOn'>;

/** Per-call retry settings accepted by {@link RetryBudgetRegistry.retry}. */
export type RetryOverrides = Omit<RetryOptions, 'target' | 'budget' | 'metricsRegistry'>;

/** Options of a {@link RetryBudgetRegistry}. */
export interface RetryBudgetRegistryOptions {
  /** Settings of every target's budget. @default { ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10000 } */
  budget?: RetryBudgetOptions;
  /** Retry settings of every target. @default { maxAttempts: 3, backoff: { initialMs: 100, maxMs: 30000 } } */
  retry?: RetryDefaults;
  /** Where the retry counter is registered. @default prom-client's global `register` */
  metricsRegistry?: Registry;
}

/**
 * One {@link RetryBudget} per target, created on first use, and ready-made retry interceptors drawing on it:
 * `execute(call, [retries.retry('orders'), breakers.breaker('orders'), timeout(2000)], signal)`.
 */
export class RetryBudgetRegistry {
  private readonly budgets = new Map<string, RetryBudget>();
  private readonly interceptors = new Map<string, Interceptor>();

  constructor(private readonly options: RetryBudgetRegistryOptions = {}) {
    checkRetryBudgetOptions('retryBudget', options.budget);
    checkRetryOptions('retry', options.retry);
  }

  /** The budget of `target`, shared by every retry to it. */
  budget(target: string): RetryBudget {
    let budget = this.budgets.get(target);
    if (!budget) {
      budget = new RetryBudget(this.options.budget);
      this.budgets.set(target, budget);
    }
    return budget;
  }

  /**
   * A retry interceptor for `target`: the registry's defaults, then `overrides`, bounded by the target's
   * budget and counted in `toskamesh_resilience_retries_total{target}`.
   */
  retry(target: string, overrides?: RetryOverrides): Interceptor {
    if (overrides) return this.build(target, overrides);
    let interceptor = this.interceptors.get(target);
    if (!interceptor) {
      interceptor = this.build(target, {});
      this.interceptors.set(target, interceptor);
    }
    return interceptor;
  }

  /** Tokens left in each target's budget, for admin APIs. */
  balances(): Record<string, number> {
    return Object.fromEntries([...this.budgets].map(([target, budget]) => [target, budget.balance()]));
  }

  private build(target: string, overrides: RetryOverrides): Interceptor {
    return retry({
      ...this.options.retry,
      ...overrides,
      target,
      budget: this.budget(target),
      metricsRegistry: this.options.metricsRegistry,
    });
  }
}
