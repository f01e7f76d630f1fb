import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError, MeshTimeoutError } from '@toskamesh/common';
import { execute } from './interceptor.js';
import { timeout } from './timeout.interceptor.js';

/** A call that only ends when its signal aborts, like well-behaved I/O. */
function hangUntilAborted(seen: AbortSignal[]) {
  return (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      seen.push(signal);
      signal.addEventListener('abort', () => reject(signal.reason as Error));
    });
}

describe('timeout', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('aborts the signal handed down and rejects with MeshTimeoutError on the deadline', async () => {
    const seen: AbortSignal[] = [];
    const outcome = execute(hangUntilAborted(seen), [timeout(500, 'GET /orders')]).catch((e) => e);
    await jest.advanceTimersByTimeAsync(499);
    expect(seen[0]!.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(MeshTimeoutError);
    expect(error).toMatchObject({ code: 'MESH_COMMON_TIMEOUT', retryable: true, timeoutMs: 500 });
    expect(seen[0]!.aborted).toBe(true);
    expect(seen[0]!.reason).toBe(error);
  });

  it('passes a result through before the deadline and leaves no timer behind', async () => {
    await expect(execute(async () => 'fast', [timeout(500)])).resolves.toBe('fast');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('forwards the caller abort to the call below', async () => {
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const outcome = execute(hangUntilAborted(seen), [timeout(5000)], controller.signal).catch((e) => e);
    controller.abort(new Error('caller left'));
    expect(((await outcome) as Error).message).toBe('caller left');
    expect(seen[0]!.aborted).toBe(true);
  });

  it('refuses a non-positive time limit', () => {
    expect(() => timeout(0)).toThrow(MeshConfigError);
    expect(() => timeout(Number.NaN)).toThrow(/timeout\.ms/);
  });
});
