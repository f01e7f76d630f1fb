import { describe, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { LuaScript } from './lua-script.js';

type Call = (...args: unknown[]) => Promise<unknown>;

function fakeRedis(evalsha: Call) {
  const evalScript = jest.fn<Call>(async () => 'from eval');
  return { redis: { evalsha: jest.fn<Call>(evalsha), eval: evalScript } as unknown as Redis, evalScript };
}

describe(LuaScript.name, () => {
  describe('run', () => {
    it('calls EVALSHA with the SHA-1 of the source and no keys', async () => {
      const script = new LuaScript('ping', 'return 1');
      const { redis } = fakeRedis(async () => 1);
      expect(await script.run(redis, ['p', 2])).toBe(1);
      expect(script.sha).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
      expect(redis.evalsha).toHaveBeenCalledWith(script.sha, 0, 'p', 2);
    });

    it('falls back to EVAL when the server does not hold the script', async () => {
      const { redis, evalScript } = fakeRedis(async () => {
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      });
      expect(await new LuaScript('ping', 'return 1').run(redis, ['p'])).toBe('from eval');
      expect(evalScript).toHaveBeenCalledWith('return 1', 0, 'p');
    });

    it('rethrows any other failure', async () => {
      const { redis, evalScript } = fakeRedis(async () => {
        throw new Error('Command timed out');
      });
      await expect(new LuaScript('ping', 'return 1').run(redis, [])).rejects.toThrow('Command timed out');
      expect(evalScript).not.toHaveBeenCalled();
    });
  });
});
