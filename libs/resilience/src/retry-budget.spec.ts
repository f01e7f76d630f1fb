import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { RetryBudget } from './retry-budget.js';

describe(RetryBudget.name, () => {
  const clock = () => {
    const state = { now: 0 };
    return Object.assign(state, { read: () => state.now });
  };

  describe('tryWithdraw', () => {
    it('allows the min-retries floor with no traffic at all', () => {
      const budget = new RetryBudget({ minRetriesPerSecond: 2, windowMs: 10_000 }, () => 0);
      let granted = 0;
      while (budget.tryWithdraw()) granted++;
      expect(granted).toBe(20);
    });

    it('earns ratio tokens per first attempt on top of the floor', () => {
      const budget = new RetryBudget({ ratio: 0.1, minRetriesPerSecond: 0 }, () => 0);
      for (let i = 0; i < 100; i++) budget.deposit();
      let granted = 0;
      while (budget.tryWithdraw()) granted++;
      expect(granted).toBe(10);
    });

    it('refills as withdrawals slide out of the window', () => {
      const time = clock();
      const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 1, windowMs: 10_000 }, time.read);
      while (budget.tryWithdraw());
      expect(budget.balance()).toBe(0);
      time.now = 9_999;
      expect(budget.tryWithdraw()).toBe(false);
      time.now = 10_000;
      expect(budget.tryWithdraw()).toBe(true);
    });

    it('forgets deposits older than the window', () => {
      const time = clock();
      const budget = new RetryBudget({ ratio: 1, minRetriesPerSecond: 0, windowMs: 1_000 }, time.read);
      for (let i = 0; i < 5; i++) budget.deposit();
      expect(budget.balance()).toBe(5);
      time.now = 1_000;
      expect(budget.balance()).toBe(0);
    });
  });

  it('rejects bad options with a MeshConfigError naming the key', () => {
    expect(() => new RetryBudget({ ratio: -1 })).toThrow(MeshConfigError);
    expect(() => new RetryBudget({ windowMs: 5 })).toThrow(/retryBudget\.windowMs/);
  });
});
