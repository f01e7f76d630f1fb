import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshCircuitBreaker } from './circuit-breaker.js';
import { resolveCircuitBreakerOptions, type CircuitBreakerOptions } from './circuit-breaker-options.js';
import { BulkheadRejectedError } from './errors/bulkhead-rejected.error.js';
import { CircuitOpenError } from './errors/circuit-open.error.js';
import type { Call } from './interceptor.js';

const signal = new AbortController().signal;
const ok: Call<string> = async () => 'ok';
const failing = (status?: number): Call<never> => {
  return async () => {
    throw Object.assign(new Error(`upstream ${status ?? 'down'}`), status ? { status } : {});
  };
};

/** Runs calls one after another, keeping only how each ended. */
async function run(breaker: MeshCircuitBreaker, calls: Call<unknown>[]): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (const call of calls) outcomes.push(await breaker.execute(call, signal).catch((e: unknown) => e));
  return outcomes;
}

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe(MeshCircuitBreaker.name, () => {
  let breakers: MeshCircuitBreaker[];
  const transitions: string[] = [];
  const make = (options: CircuitBreakerOptions = {}) => {
    const breaker = new MeshCircuitBreaker('orders', resolveCircuitBreakerOptions(options), (_, from, to) =>
      transitions.push(`${from}->${to}`),
    );
    breakers.push(breaker);
    return breaker;
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    breakers = [];
    transitions.length = 0;
  });
  afterEach(() => {
    for (const breaker of breakers) breaker.shutdown();
    jest.useRealTimers();
  });

  describe('execute', () => {
    it('stays closed after 19 failures of 19 when volumeThreshold is 20', async () => {
      const breaker = make();
      await run(breaker, times(19, failing(503)));
      expect(breaker.state).toBe('closed');
      await expect(breaker.execute(ok, signal)).resolves.toBe('ok');
    });

    it('opens at exactly 50 % failures once 20 requests were seen', async () => {
      const breaker = make();
      await run(breaker, [...times(10, ok), ...times(9, failing(500))]);
      expect(breaker.state).toBe('closed');
      await run(breaker, [failing(500)]);
      expect(breaker.state).toBe('open');
      expect(transitions).toEqual(['closed->open']);
    });

    it('stays closed below the threshold', async () => {
      const breaker = make();
      await run(breaker, [...times(11, ok), ...times(9, failing(500))]);
      expect(breaker.state).toBe('closed');
    });

    it('forgets failures that left the rolling window', async () => {
      const breaker = make();
      await run(breaker, times(19, failing(500)));
      await jest.advanceTimersByTimeAsync(11_000);
      await run(breaker, [failing(500)]);
      expect(breaker.state).toBe('closed');
    });

    it('refuses fast with CircuitOpenError and the time until half-open while open', async () => {
      const breaker = make();
      await run(breaker, times(20, failing(500)));
      await jest.advanceTimersByTimeAsync(3_000);
      const call = jest.fn(ok);
      const error = await breaker.execute(call, signal).catch((e: unknown) => e);
      expect(call).not.toHaveBeenCalled();
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({
        code: 'MESH_RESILIENCE_CIRCUIT_OPEN',
        retryable: true,
        retryAfterMs: 7_000,
        target: 'orders',
      });
    });

    it('half-opens after resetTimeout and closes when the probe succeeds', async () => {
      const breaker = make({ resetTimeout: 5_000 });
      await run(breaker, times(20, failing(500)));
      await jest.advanceTimersByTimeAsync(4_999);
      expect(breaker.state).toBe('open');
      await jest.advanceTimersByTimeAsync(1);
      expect(breaker.state).toBe('half-open');
      await expect(breaker.execute(ok, signal)).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
      expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    });

    it('re-opens for another resetTimeout when the probe fails', async () => {
      const breaker = make();
      await run(breaker, times(20, failing(500)));
      await jest.advanceTimersByTimeAsync(10_000);
      await run(breaker, [failing(502)]);
      expect(breaker.state).toBe('open');
      expect(breaker.retryAfterMs()).toBe(10_000);
      expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
    });

    it('lets one probe through while half-open and refuses the others', async () => {
      const breaker = make();
      await run(breaker, times(20, failing(500)));
      await jest.advanceTimersByTimeAsync(10_000);
      let finish!: (value: string) => void;
      const probe = breaker.execute(() => new Promise<string>((resolve) => (finish = resolve)), signal);
      await expect(breaker.execute(ok, signal)).rejects.toMatchObject({
        state: 'half-open',
        retryAfterMs: 0,
      });
      finish('probe ok');
      await expect(probe).resolves.toBe('probe ok');
      expect(breaker.state).toBe('closed');
    });

    it('does not count 4xx answers or local bulkhead refusals as failures by default', async () => {
      const breaker = make();
      const full = async () => {
        throw new BulkheadRejectedError('b', 'full', { maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 1 });
      };
      const outcomes = await run(breaker, [...times(20, failing(404)), ...times(20, full)]);
      expect(breaker.state).toBe('closed');
      expect((outcomes[0] as { status: number }).status).toBe(404);
    });

    it('counts 429 and 5xx as failures by default', async () => {
      const breaker = make();
      await run(breaker, [...times(10, failing(429)), ...times(10, failing(503))]);
      expect(breaker.state).toBe('open');
    });

    it('lets the caller decide what counts as failure through errorFilter', async () => {
      const breaker = make({ errorFilter: (e) => (e as Error).message.includes('500') });
      await run(breaker, times(20, failing(500)));
      expect(breaker.state).toBe('closed');
    });

    it('does not count calls the caller aborted', async () => {
      const breaker = make();
      for (let i = 0; i < 20; i++) {
        const controller = new AbortController();
        const pending = breaker.execute(
          (s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason as Error))),
          controller.signal,
        );
        controller.abort(new Error('caller left'));
        await expect(pending).rejects.toThrow('caller left');
      }
      expect(breaker.state).toBe('closed');
    });

    it('passes calls straight through after shutdown', async () => {
      const breaker = make();
      await run(breaker, times(20, failing(500)));
      breaker.shutdown();
      await expect(breaker.execute(ok, signal)).resolves.toBe('ok');
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('snapshot', () => {
    it('reports state, time to half-open and window counts', async () => {
      const breaker = make();
      await run(breaker, [...times(20, failing(500)), ok]);
      await jest.advanceTimersByTimeAsync(2_500);
      expect(breaker.snapshot()).toEqual({
        target: 'orders',
        state: 'open',
        retryAfterMs: 7_500,
        openedAt: new Date(1_000_000).toISOString(),
        window: { fires: 21, successes: 0, failures: 20, rejects: 1 },
      });
    });
  });
});
