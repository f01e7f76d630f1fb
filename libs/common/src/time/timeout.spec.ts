import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshTimeoutError } from '../errors/mesh-timeout.error.js';
import { sleep, withTimeout } from './timeout.js';

describe('withTimeout', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves with the task result before the deadline', async () => {
    await expect(withTimeout('op', 100, async () => 'done')).resolves.toBe('done');
  });

  it('rejects with MeshTimeoutError and aborts the task signal at the deadline', async () => {
    let seen: AbortSignal | undefined;
    const pending = withTimeout('slow op', 100, (signal) => {
      seen = signal;
      return new Promise(() => undefined);
    });
    jest.advanceTimersByTime(100);
    await expect(pending).rejects.toThrow(MeshTimeoutError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(MeshTimeoutError);
  });

  it('aborts the task when the parent signal aborts', async () => {
    const parent = new AbortController();
    let seen: AbortSignal | undefined;
    const pending = withTimeout(
      'op',
      1000,
      (signal) =>
        new Promise((_, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
      parent.signal,
    );
    parent.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(seen?.aborted).toBe(true);
  });
});

describe('sleep', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves after the delay', async () => {
    const done = jest.fn();
    const pending = sleep(50).then(done);
    jest.advanceTimersByTime(49);
    await Promise.resolve();
    expect(done).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    await pending;
    expect(done).toHaveBeenCalled();
  });

  it('rejects when aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
