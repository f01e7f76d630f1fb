import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError, MeshError } from '@toskamesh/common';
import { Registry } from 'prom-client';
import { CircuitOpenError } from './errors/circuit-open.error.js';
import { execute } from './interceptor.js';
import { RetryBudget } from './retry-budget.js';
import { defaultRetryOn, isConnectionError, retry } from './retry.interceptor.js';

const transient = () => new MeshError('MESH_TEST_UNAVAILABLE', 'try later', { retryable: true });
const permanent = () => new MeshError('MESH_TEST_INVALID', 'never', { retryable: false });

/** A call failing with `errors` in turn, then answering 'ok'. */
function flaky(...errors: unknown[]) {
  return jest.fn(async (_signal: AbortSignal) => {
    const error = errors.shift();
    if (error !== undefined) throw error;
    return 'ok';
  });
}

async function retriesTotal(metrics: Registry, outcome: string, target = 'orders') {
  const { values } = await metrics.getSingleMetric('toskamesh_resilience_retries_total')!.get();
  return values.find((v) => v.labels.outcome === outcome && v.labels.target === target)?.value ?? 0;
}

describe('retry', () => {
  let metrics: Registry;
  const noJitterWait = () => 0;

  beforeEach(() => {
    jest.useFakeTimers();
    metrics = new Registry();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('succeeds on the third attempt and counts the recovery', async () => {
    const call = flaky(transient(), transient());
    const interceptor = retry({ target: 'orders', metricsRegistry: metrics, random: noJitterWait });
    await expect(execute(call, [interceptor])).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
    expect(await retriesTotal(metrics, 'retry')).toBe(2);
    expect(await retriesTotal(metrics, 'recovered')).toBe(1);
  });

  it('surfaces the last error after maxAttempts', async () => {
    const last = transient();
    const call = flaky(transient(), transient(), last);
    const interceptor = retry({ target: 'orders', metricsRegistry: metrics, random: noJitterWait });
    await expect(execute(call, [interceptor])).rejects.toBe(last);
    expect(call).toHaveBeenCalledTimes(3);
    expect(await retriesTotal(metrics, 'exhausted')).toBe(1);
  });

  it('stops at once on a non-retryable error', async () => {
    const call = flaky(permanent());
    await expect(execute(call, [retry({ metricsRegistry: metrics })])).rejects.toMatchObject({
      code: 'MESH_TEST_INVALID',
    });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('asks retryOn with the error and the 1-based attempt', async () => {
    const retryOn = jest.fn((_error: unknown, attempt: number) => attempt < 2);
    const call = flaky(permanent(), permanent(), permanent());
    const options = { maxAttempts: 5, retryOn, metricsRegistry: metrics, random: noJitterWait };
    await expect(execute(call, [retry(options)])).rejects.toBeInstanceOf(MeshError);
    expect(call).toHaveBeenCalledTimes(2);
    expect(retryOn.mock.calls.map(([, attempt]) => attempt)).toEqual([1, 2]);
  });

  it('waits the exponential back-off between attempts', async () => {
    const call = flaky(transient(), transient(), transient());
    const options = { maxAttempts: 4, metricsRegistry: metrics, random: () => 1 };
    const result = execute(call, [retry(options)]);
    for (const [wait, attemptsAfter] of [
      [0, 1],
      [99, 1],
      [1, 2],
      [199, 2],
      [1, 3],
      [399, 3],
      [1, 4],
    ] as const) {
      await jest.advanceTimersByTimeAsync(wait);
      expect(call).toHaveBeenCalledTimes(attemptsAfter);
    }
    await expect(result).resolves.toBe('ok');
  });

  it('applies full jitter through the injected random source', async () => {
    const call = flaky(transient());
    const result = execute(call, [retry({ metricsRegistry: metrics, random: () => 0.25 })]);
    await jest.advanceTimersByTimeAsync(24);
    expect(call).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
  });

  it('stops waiting and rejects with the reason when the caller aborts during the wait', async () => {
    const controller = new AbortController();
    const call = flaky(transient(), transient());
    const result = execute(call, [retry({ metricsRegistry: metrics, random: () => 1 })], controller.signal);
    const settled = result.catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(50);
    controller.abort(new Error('caller left'));
    expect(((await settled) as Error).message).toBe('caller left');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('does not retry an attempt that failed because the caller aborted', async () => {
    const controller = new AbortController();
    const call = jest.fn(async () => {
      controller.abort();
      throw transient();
    });
    await expect(execute(call, [retry({ metricsRegistry: metrics })], controller.signal)).rejects.toThrow();
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('waits at least retryAfterMs of an open breaker, and gives up when that is beyond maxMs', async () => {
    const call = flaky(new CircuitOpenError('orders', 700));
    const result = execute(call, [retry({ metricsRegistry: metrics, random: noJitterWait })]);
    await jest.advanceTimersByTimeAsync(699);
    expect(call).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');

    const tooLong = flaky(new CircuitOpenError('orders', 5_000));
    const options = { metricsRegistry: metrics, backoff: { maxMs: 1_000 } };
    await expect(execute(tooLong, [retry(options)])).rejects.toBeInstanceOf(CircuitOpenError);
    expect(tooLong).toHaveBeenCalledTimes(1);
  });

  it('keeps retries at about 20 % of requests under sustained failure', async () => {
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10_000 });
    const interceptor = retry({ target: 'orders', budget, metricsRegistry: metrics, random: noJitterWait });
    let attempts = 0;
    for (let i = 0; i < 1000; i++) {
      await execute(async () => {
        attempts++;
        throw transient();
      }, [interceptor]).catch(() => undefined);
    }
    const retries = attempts - 1000;
    expect(retries).toBeLessThanOrEqual(0.2 * 1000 + 10 * 10);
    expect(retries).toBeGreaterThanOrEqual(0.2 * 1000 + 10 * 10 - 1);
    expect(await retriesTotal(metrics, 'budget_exhausted')).toBeGreaterThan(600);
  });

  it('rejects bad options with a MeshConfigError naming the key', () => {
    expect(() => retry({ maxAttempts: 0 })).toThrow(MeshConfigError);
    expect(() => retry({ backoff: { multiplier: 0.5 } })).toThrow(/retry\.backoff\.multiplier/);
  });
});

describe('defaultRetryOn', () => {
  it('follows MeshError.retryable and retries connection errors only', () => {
    expect(defaultRetryOn(transient())).toBe(true);
    expect(defaultRetryOn(permanent())).toBe(false);
    expect(defaultRetryOn(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(defaultRetryOn(new Error('bug'))).toBe(false);
    expect(defaultRetryOn('nope')).toBe(false);
  });
});

describe('isConnectionError', () => {
  it('finds the code in a cause, as undici fetch reports it', () => {
    const cause = Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET' });
    expect(isConnectionError(new TypeError('fetch failed', { cause }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
  });
});
