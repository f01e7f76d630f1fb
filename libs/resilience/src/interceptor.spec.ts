import { describe, expect, it } from '@jest/globals';
import { compose, execute, type Call, type Interceptor } from './interceptor.js';

function tag(name: string, log: string[]): Interceptor {
  return <T>(next: Call<T>): Call<T> =>
    async (signal) => {
      log.push(`>${name}`);
      const result = await next(signal);
      log.push(`<${name}`);
      return result;
    };
}

describe('compose', () => {
  it('runs the first listed interceptor outermost', async () => {
    const log: string[] = [];
    const result = await compose(
      tag('a', log),
      tag('b', log),
      tag('c', log),
    )(async () => {
      log.push('call');
      return 42;
    })(new AbortController().signal);
    expect(result).toBe(42);
    expect(log).toEqual(['>a', '>b', '>c', 'call', '<c', '<b', '<a']);
  });

  it('returns the call unchanged when given no interceptors', async () => {
    const call: Call<string> = async () => 'plain';
    expect(compose()(call)).toBe(call);
  });
});

describe('execute', () => {
  it('passes the caller signal down to the call', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await execute(
      async (signal) => {
        seen = signal;
      },
      [],
      controller.signal,
    );
    expect(seen).toBe(controller.signal);
  });

  it('gives the call a live signal when the caller has none', async () => {
    const aborted = await execute(async (signal) => signal.aborted, [tag('x', [])]);
    expect(aborted).toBe(false);
  });
});
