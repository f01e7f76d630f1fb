import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import { CommandDeadlines } from './command-deadlines.js';

const mapFailure = (what: string, error: unknown) =>
  new KeyValueUnavailableError('redis', `${what} failed: ${String(error)}`);

describe(CommandDeadlines.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('bound', () => {
    it('passes an answer through and stops watching the call', async () => {
      const deadlines = new CommandDeadlines(1_000, mapFailure);
      await expect(deadlines.bound('GET', Promise.resolve('v'))).resolves.toBe('v');
      expect(deadlines.size).toBe(0);
    });

    it('maps a failure with the mapper', async () => {
      const deadlines = new CommandDeadlines(1_000, mapFailure);
      await expect(deadlines.bound('SET', Promise.reject(new Error('boom')))).rejects.toThrow(
        /SET failed: Error: boom/,
      );
    });

    it('rejects a call with no answer once the timeout and at most one tick have passed', async () => {
      const deadlines = new CommandDeadlines(1_000, mapFailure);
      const never = new Promise<string>(() => undefined);
      const call = deadlines.bound('GET', never);
      const settled = jest.fn();
      call.catch(settled);
      await jest.advanceTimersByTimeAsync(999);
      expect(settled).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(250);
      await expect(call).rejects.toThrow(/GET got no answer within 1000 ms/);
      expect(deadlines.size).toBe(0);
    });

    it('ignores an answer that arrives after the deadline', async () => {
      const deadlines = new CommandDeadlines(100, mapFailure);
      let answer: (value: string) => void = () => undefined;
      const late = deadlines.bound('GET', new Promise<string>((resolve) => (answer = resolve)));
      const outcome = expect(late).rejects.toBeInstanceOf(KeyValueUnavailableError);
      await jest.advanceTimersByTimeAsync(200);
      answer('too late');
      await outcome;
    });

    it('stops its timer when nothing is pending', async () => {
      const deadlines = new CommandDeadlines(100, mapFailure);
      await deadlines.bound('GET', Promise.resolve(1));
      await jest.advanceTimersByTimeAsync(100);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
