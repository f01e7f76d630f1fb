import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { seededRandom } from '@toskamesh/load-balancing';
import { testBreakers, testInstance, testPolicy } from '../../test/upstream-fixtures.js';
import { OutlierEjection } from './outlier-ejection.js';
import { ServicePool } from './service-pool.js';
import type { AttemptResult } from './upstream-pool.js';

const POLICY = testPolicy({
  strategy: 'RoundRobin',
  hashHeaders: [],
  retry: { replayBufferBytes: 0, retryOnStatuses: [502] },
  ejection: { consecutiveFailures: 3, maxEjectionMs: 20_000 },
  breaker: { enabled: false },
});

const failure: AttemptResult = { outcome: 'failure', kind: 'connect' };
const success: AttemptResult = { outcome: 'success', status: 200 };

describe(OutlierEjection.name, () => {
  let now: number;
  let list: readonly ServiceInstance[];
  let warn: jest.Mock<(message: unknown) => void>;
  let events: { ejected: jest.Mock; restored: jest.Mock };
  let pool: ServicePool;

  /** Sends `results` to `id` one after another. */
  const report = (id: string, ...results: AttemptResult[]) => {
    const others = new Set(list.map((i) => i.serviceId).filter((other) => other !== id));
    for (const result of results) {
      const picked = pool.pick({ exclude: others })!;
      expect(picked.target.id).toBe(id);
      picked.finish(result);
    }
  };
  const status = (id: string) => pool.snapshot().targets.find((t) => t.id === id)?.status;

  beforeEach(() => {
    now = 1_000_000;
    list = [testInstance('a'), testInstance('b'), testInstance('c')];
    warn = jest.fn();
    events = { ejected: jest.fn(), restored: jest.fn() };
    pool = new ServicePool(
      'orders',
      POLICY,
      { instances: () => list },
      {
        breakers: testBreakers(),
        now: () => now,
        logger: { log: jest.fn(), warn },
        events,
        random: seededRandom(1),
        probes: { unhealthyThreshold: 2, intervalMs: 1000 },
      },
    );
  });

  describe('recordAttempt', () => {
    it('ejects after consecutive failures for baseEjectionMs and brings the target back on time', () => {
      report(
        'a',
        failure,
        { outcome: 'failure', kind: 'status', status: 503 },
        { outcome: 'failure', kind: 'timeout' },
      );
      expect(status('a')).toBe('ejected');
      expect(pool.availableCount()).toBe(2);
      expect(events.ejected).toHaveBeenCalledWith('orders', 'a', 5000, false);
      expect(pool.snapshot().targets[0]).toMatchObject({
        ejectedUntil: new Date(now + 5000).toISOString(),
        ejections: 1,
      });
      const picks = new Set([...Array(30)].map(() => pool.pick({})!.target.id));
      expect(picks.has('a')).toBe(false);

      now += 4999;
      expect(pool.availableCount()).toBe(2);
      now += 1;
      expect(pool.availableCount()).toBe(3);
      expect(events.restored).toHaveBeenCalledWith('orders', 'a');
      expect(status('a')).toBe('healthy');
    });

    it('lets a success reset the count', () => {
      report('a', failure, failure, success, failure, failure);
      expect(status('a')).toBe('healthy');
      report('a', failure);
      expect(status('a')).toBe('ejected');
    });

    it('counts aborted attempts neither way', () => {
      report('a', failure, failure, { outcome: 'aborted' });
      expect(pool.snapshot().targets[0]!.consecutiveFailures).toBe(2);
      report('a', failure);
      expect(status('a')).toBe('ejected');
    });

    it('doubles the ejection on each repeat, up to maxEjectionMs', () => {
      const lengths: number[] = [];
      for (let round = 0; round < 4; round++) {
        // The first round needs the full count; later ones come back on probation and need one failure.
        if (round === 0) report('a', failure, failure, failure);
        else report('a', failure);
        lengths.push(events.ejected.mock.calls.at(-1)![2] as number);
        now += lengths.at(-1)!;
      }
      expect(lengths).toEqual([5000, 10_000, 20_000, 20_000]);
    });

    it('re-ejects at the first failure after coming back (probation), with a longer back-off', () => {
      report('a', failure, failure, failure);
      now += 5000;
      expect(status('a')).toBe('healthy');
      report('a', failure);
      expect(status('a')).toBe('ejected');
      expect(events.ejected).toHaveBeenLastCalledWith('orders', 'a', 10_000, false);
      expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('failing again on probation'));
    });

    it('ends probation with a success', () => {
      report('a', failure, failure, failure);
      now += 5000;
      report('a', success, failure, failure);
      expect(status('a')).toBe('healthy');
      report('a', failure);
      expect(status('a')).toBe('ejected');
    });

    it('does not extend an ejection with attempts that finish during it', () => {
      const late = [...Array(3)].map(() => pool.pick({ exclude: new Set(['b', 'c']) })!);
      report('a', failure, failure, failure);
      for (const picked of late) picked.finish(failure);
      expect(events.ejected).toHaveBeenCalledTimes(1);
    });

    it('never ejects the last available target, and logs a warning instead', () => {
      report('a', failure, failure, failure);
      report('b', failure, failure, failure);
      expect(pool.availableCount()).toBe(1);
      report('c', failure, failure, failure);
      expect(status('c')).toBe('healthy');
      expect(pool.availableCount()).toBe(1);
      expect(events.ejected).toHaveBeenLastCalledWith('orders', 'c', 0, true);
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/"c" of "orders".*last available target/));
    });

    it('holds back repeated last-target warnings for baseEjectionMs and counts them', () => {
      list = [testInstance('solo')];
      for (let i = 0; i < 4; i++) report('solo', failure, failure, failure);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(events.ejected).toHaveBeenCalledTimes(4);
      now += 5000;
      report('solo', failure, failure, failure);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('3 more times since last warning'));
      expect(pool.availableCount()).toBe(1);
    });

    it('puts ejected targets back when the available ones leave', () => {
      report('a', failure, failure, failure);
      list = [testInstance('a')];
      expect(pool.availableCount()).toBe(1);
      expect(status('a')).toBe('healthy');
      expect(warn).toHaveBeenLastCalledWith(
        expect.stringContaining('Every remaining target of "orders" is ejected'),
      );
    });
  });

  describe('recordProbe', () => {
    it('ejects after unhealthyThreshold failed probes and restores on a pass', () => {
      pool.recordProbe('a', false);
      expect(status('a')).toBe('healthy');
      pool.recordProbe('a', false);
      expect(status('a')).toBe('ejected');
      expect(events.ejected).toHaveBeenCalledWith('orders', 'a', 1000, false);
      now += 3_600_000;
      expect(status('a')).toBe('ejected');
      pool.recordProbe('a', true);
      expect(status('a')).toBe('healthy');
      expect(events.restored).toHaveBeenCalledWith('orders', 'a');
    });

    it('never probe-ejects the last available target', () => {
      list = [testInstance('solo')];
      for (let i = 0; i < 6; i++) pool.recordProbe('solo', false);
      expect(status('solo')).toBe('healthy');
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('2 failed probes but is the last available target'),
      );
    });

    it('ignores targets the pool does not know', () => {
      expect(pool.recordProbe('nope', false)).toBe(false);
    });
  });
});
