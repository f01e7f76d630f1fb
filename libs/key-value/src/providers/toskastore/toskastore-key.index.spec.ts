import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import { KeyPrefix } from '../../keys/key-prefix.js';
import { ToskaStoreKeyIndex } from './toskastore-key.index.js';
import type { ToskaStoreKvApi } from './toskastore-kv.api.js';

/** The parts of the KV API the index uses, over a map of stored text; `gate` holds PUTs until opened. */
function fakeApi(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const calls: string[] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  const api = {
    get: async (stored: string) => {
      calls.push(`GET ${stored}`);
      return data.get(stored);
    },
    put: async (stored: string, text: string) => {
      calls.push(`PUT ${stored} ${text}`);
      await gate;
      data.set(stored, text);
    },
    mget: async (stored: readonly string[]) => {
      calls.push(`MGET ${stored.join(',')}`);
      return new Map(stored.filter((key) => data.has(key)).map((key) => [key, data.get(key)!]));
    },
  };
  const hold = () => {
    gate = new Promise((resolve) => (release = resolve));
  };
  return { api: api as unknown as ToskaStoreKvApi, data, calls, hold, open: () => release() };
}

describe(ToskaStoreKeyIndex.name, () => {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  afterAll(() => warn.mockRestore());

  describe('add', () => {
    it('writes the sorted, unprefixed key list under the prefixed index key', async () => {
      const { api, data } = fakeApi();
      const index = new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys');
      await index.add('b');
      await index.add('a');
      expect(data.get('svc:__keys')).toBe('["a","b"]');
    });

    it('applies the changes queued during an in-flight write in one read-modify-write', async () => {
      const { api, data, calls, hold, open } = fakeApi();
      const index = new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys');
      hold();
      const first = index.add('a');
      await new Promise((resolve) => setImmediate(resolve)); // first write now waits at the gate
      const rest = [index.add('b'), index.add('c'), index.remove('a')];
      open();
      await Promise.all([first, ...rest]);
      expect(calls.filter((call) => call.startsWith('PUT'))).toEqual([
        'PUT svc:__keys ["a"]',
        'PUT svc:__keys ["b","c"]',
      ]);
      expect(data.get('svc:__keys')).toBe('["b","c"]');
    });

    it('skips the write when the key is already listed', async () => {
      const { api, calls } = fakeApi({ 'svc:__keys': '["a"]' });
      await new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys').add('a');
      expect(calls).toEqual(['GET svc:__keys']);
    });

    it('rejects the callers of a failed write and keeps serving later ones', async () => {
      const { api, data } = fakeApi();
      const failing = jest
        .spyOn(api, 'put')
        .mockRejectedValueOnce(new KeyValueUnavailableError('toskastore', 'PUT failed'));
      const index = new ToskaStoreKeyIndex(api, new KeyPrefix(''), '__keys');
      await expect(index.add('a')).rejects.toThrow(KeyValueUnavailableError);
      failing.mockRestore();
      await index.add('b');
      expect(data.get('__keys')).toBe('["b"]');
    });
  });

  describe('prune', () => {
    it('drops only keys still missing when the update runs', async () => {
      const { api, data } = fakeApi({ 'svc:__keys': '["gone","back","kept"]', 'svc:kept': '1' });
      const index = new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys');
      // Listing saw "gone" and "back" missing; "back" was written again before the prune ran.
      data.set('svc:back', '2');
      await index.prune(['gone', 'back']);
      expect(data.get('svc:__keys')).toBe('["back","kept"]');
    });
  });

  describe('read', () => {
    it('treats a missing index as empty', async () => {
      const { api } = fakeApi();
      await expect(new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys').read()).resolves.toEqual([]);
    });

    it('takes an index that is not a JSON array as empty and says so', async () => {
      const { api } = fakeApi({ 'svc:__keys': '{"not":"a list"}' });
      await expect(new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys').read()).resolves.toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('is not a JSON array'));
    });

    it('reads the index the .NET original wrote (a JSON list of unprefixed keys)', async () => {
      const { api } = fakeApi({ 'svc:__keys': '["z","a",7,""]' });
      await expect(new ToskaStoreKeyIndex(api, new KeyPrefix('svc'), '__keys').read()).resolves.toEqual([
        'a',
        'z',
      ]);
    });
  });
});
