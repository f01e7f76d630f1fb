import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type CircuitBreakerRegistry, CircuitOpenError } from '@toskamesh/resilience';
import { testBreakers, testPolicy } from '../../test/upstream-fixtures.js';
import { UpstreamFailure } from '../proxy/forwarding-engine.js';
import { breakerOptions, PoolBreaker } from './pool-breaker.js';

const POLICY = testPolicy({ breaker: { windowMs: 1000, openMs: 500 } }).breaker;

interface Answer {
  status: number;
}
const is5xx = (answer: Answer) => answer.status >= 500;
const answer = (status: number) => () => Promise.resolve({ status });

describe(PoolBreaker.name, () => {
  let registry: CircuitBreakerRegistry;
  let breaker: PoolBreaker;

  /** Runs `count` calls answering `status`, one after another. */
  const send = async (count: number, status: number) => {
    for (let i = 0; i < count; i++) await breaker.run(answer(status), is5xx);
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    registry = testBreakers();
    breaker = new PoolBreaker(registry, 'gateway:orders', POLICY);
  });
  afterEach(() => {
    registry.shutdown();
    jest.useRealTimers();
  });

  describe('breakerOptions', () => {
    it('maps the gateway policy onto opossum option names', () => {
      expect(breakerOptions(POLICY)).toMatchObject({
        errorThresholdPercentage: 50,
        volumeThreshold: 20,
        rollingCountTimeout: 1000,
        rollingCountBuckets: 10,
        resetTimeout: 500,
      });
    });
  });

  describe('run', () => {
    it('returns a failed result to the caller while counting it as a failure', async () => {
      await expect(breaker.run(answer(503), is5xx)).resolves.toEqual({ status: 503 });
      expect(breaker.snapshot()!.window).toMatchObject({ fires: 1, failures: 1, successes: 0 });
    });

    it('stays closed below minimumRequests, whatever the failure share', async () => {
      await send(19, 500);
      expect(breaker.snapshot()!.state).toBe('closed');
    });

    it('opens at 50 % failures over 20 requests in the window', async () => {
      await send(10, 200);
      await send(9, 500);
      expect(breaker.snapshot()!.state).toBe('closed');
      await send(1, 500);
      expect(breaker.snapshot()!.state).toBe('open');
    });

    it('stays closed just under the threshold', async () => {
      await send(11, 200);
      await send(9, 500);
      expect(breaker.snapshot()!.state).toBe('closed');
    });

    it('forgets requests that left the window', async () => {
      await send(19, 500);
      await jest.advanceTimersByTimeAsync(1100);
      await send(1, 500);
      expect(breaker.snapshot()!.state).toBe('closed');
    });

    it('refuses with CircuitOpenError carrying the time left while open, without calling', async () => {
      await send(20, 500);
      await jest.advanceTimersByTimeAsync(200);
      const attempt = jest.fn(answer(200));
      const refusal = await breaker.run(attempt, is5xx).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(CircuitOpenError);
      expect((refusal as CircuitOpenError).retryAfterMs).toBe(300);
      expect(attempt).not.toHaveBeenCalled();
    });

    it('half-opens after openMs, lets one probe through and closes on its success', async () => {
      await send(20, 500);
      await jest.advanceTimersByTimeAsync(500);
      expect(breaker.snapshot()!.state).toBe('half-open');
      let answerProbe!: (value: Answer) => void;
      const probe = breaker.run(() => new Promise<Answer>((resolve) => (answerProbe = resolve)), is5xx);
      await expect(breaker.run(answer(200), is5xx)).rejects.toBeInstanceOf(CircuitOpenError);
      answerProbe({ status: 200 });
      await expect(probe).resolves.toEqual({ status: 200 });
      expect(breaker.snapshot()!.state).toBe('closed');
    });

    it('re-opens when the half-open probe fails', async () => {
      await send(20, 500);
      await jest.advanceTimersByTimeAsync(500);
      await expect(breaker.run(answer(502), is5xx)).resolves.toEqual({ status: 502 });
      expect(breaker.snapshot()!.state).toBe('open');
    });

    it('passes rejections through, counting them unless the client went away', async () => {
      const reset = new UpstreamFailure('reset', 'socket hang up');
      await expect(breaker.run(() => Promise.reject(reset), is5xx)).rejects.toBe(reset);
      const aborted = new UpstreamFailure('aborted', 'client left');
      await expect(breaker.run(() => Promise.reject(aborted), is5xx)).rejects.toBe(aborted);
      expect(breaker.snapshot()!.window).toMatchObject({ fires: 2, failures: 1 });
    });

    it('counts only the results isFailure flags', async () => {
      await send(25, 404);
      expect(breaker.snapshot()!.state).toBe('closed');
      expect(breaker.snapshot()!.window.failures).toBe(0);
    });
  });
});
