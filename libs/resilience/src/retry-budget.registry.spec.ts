import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MeshConfigError, MeshError, MeshTimeoutError } from '@toskamesh/common';
import { Registry } from 'prom-client';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';
import { execute } from './interceptor.js';
import { RetryBudgetRegistry } from './retry-budget.registry.js';
import { timeout } from './timeout.interceptor.js';

const transient = () => new MeshError('MESH_TEST_UNAVAILABLE', 'try later', { retryable: true });

describe(RetryBudgetRegistry.name, () => {
  let metricsRegistry: Registry;
  beforeEach(() => {
    jest.useFakeTimers();
    metricsRegistry = new Registry();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  describe('budget', () => {
    it('keeps one budget per target', () => {
      const registry = new RetryBudgetRegistry({ metricsRegistry });
      expect(registry.budget('a')).toBe(registry.budget('a'));
      expect(registry.budget('a')).not.toBe(registry.budget('b'));
    });
  });

  describe('retry', () => {
    it('applies the registry defaults and draws on the target budget', async () => {
      const registry = new RetryBudgetRegistry({
        retry: { maxAttempts: 5, backoff: { initialMs: 0 } },
        budget: { ratio: 0, minRetriesPerSecond: 0.3, windowMs: 10_000 },
        metricsRegistry,
      });
      const call = jest.fn(async () => Promise.reject(transient()));
      await expect(execute(call, [registry.retry('orders')])).rejects.toBeInstanceOf(MeshError);
      expect(call).toHaveBeenCalledTimes(4);
      expect(registry.balances()).toEqual({ orders: 0 });
      call.mockClear();
      await expect(execute(call, [registry.retry('orders')])).rejects.toBeInstanceOf(MeshError);
      expect(call).toHaveBeenCalledTimes(1);
      await expect(execute(call, [registry.retry('users', { maxAttempts: 2 })])).rejects.toThrow();
      expect(call).toHaveBeenCalledTimes(3);
    });

    it('reuses the interceptor of a target when there are no overrides', () => {
      const registry = new RetryBudgetRegistry({ metricsRegistry });
      expect(registry.retry('a')).toBe(registry.retry('a'));
    });

    it('composes with a breaker and a per-attempt timeout', async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const retries = new RetryBudgetRegistry({
        metricsRegistry,
        retry: { maxAttempts: 4, backoff: { jitter: 'none' } },
      });
      const breakers = new CircuitBreakerRegistry({
        metricsRegistry,
        defaults: { volumeThreshold: 2, resetTimeout: 1_000 },
      });
      const signals: AbortSignal[] = [];
      const hang = (signal: AbortSignal) => {
        signals.push(signal);
        return new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        );
      };
      const result = execute(hang, [retries.retry('slow'), breakers.breaker('slow'), timeout(50)]);
      const settled = result.catch((e: unknown) => e);
      // Attempts 1 (t=0) and 2 (t=150) time out and open the breaker at t=200.
      await jest.advanceTimersByTimeAsync(200);
      expect(signals).toHaveLength(2);
      expect(breakers.get('slow').state).toBe('open');
      // Attempt 3 (t=400) is refused without a call; its retryAfterMs holds attempt 4 until the probe at t=1200.
      await jest.advanceTimersByTimeAsync(999);
      expect(signals).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(51);
      expect(await settled).toBeInstanceOf(MeshTimeoutError);
      expect(signals).toHaveLength(3);
      expect(signals.every((s) => s.aborted)).toBe(true);
      expect(breakers.get('slow').state).toBe('open');
      breakers.shutdown();
    });
  });

  it('rejects bad defaults with a MeshConfigError naming the key', () => {
    expect(() => new RetryBudgetRegistry({ retry: { maxAttempts: 0 } })).toThrow(MeshConfigError);
    expect(() => new RetryBudgetRegistry({ budget: { ratio: -0.1 } })).toThrow(/retryBudget\.ratio/);
  });
});
