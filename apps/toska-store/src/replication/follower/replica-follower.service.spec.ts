import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeToskaStoreOptions } from '../../config/resolve-toska-store-options.js';
import type { ToskaStoreOptions } from '../../config/toska-store-options.js';
import type { KvEngine } from '../../store/kv-engine.js';
import type { LeaderFetch } from './leader.client.js';
import { REPLICA_MAX_BACKOFF_MS, ReplicaFollower } from './replica-follower.service.js';

const engine = {} as KvEngine;

/** Real I/O (reading replica.offset) still completes under fake timers; wait for it, bounded. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 20_000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    await jest.advanceTimersByTimeAsync(0);
  }
  expect(condition()).toBe(true);
}

describe(ReplicaFollower.name, () => {
  let dataDir: string;
  let follower: ReplicaFollower | undefined;

  const options = (overrides: Partial<ToskaStoreOptions> = {}) =>
    normalizeToskaStoreOptions({ dataDir, replicaPollMs: 1000, replicaHttpTimeoutMs: 700, ...overrides });

  const refused = jest.fn<LeaderFetch>(async () => {
    throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'replica-follower-'));
    refused.mockClear();
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    for (const level of ['log', 'warn'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });

  afterEach(async () => {
    await follower?.stop();
    follower = undefined;
    jest.useRealTimers();
    jest.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('status', () => {
    it('is undefined and nothing runs when no replica URL is set', async () => {
      follower = new ReplicaFollower(engine, options(), refused);
      follower.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(follower.following).toBe(false);
      expect(follower.status()).toBeUndefined();
      expect(refused).not.toHaveBeenCalled();
    });

    it('reports the leader failure as a string, so the body always serializes', async () => {
      follower = new ReplicaFollower(engine, options({ replicaUrl: 'http://127.0.0.1:9/' }), refused);
      follower.onApplicationBootstrap();
      await until(() => follower!.status()!.last_error !== null);
      const status = follower.status()!;
      expect(status).toEqual({
        leader_url: 'http://127.0.0.1:9',
        offset: 0,
        last_snapshot_at: null,
        last_poll_at: null,
        last_error: expect.stringContaining('connect ECONNREFUSED 127.0.0.1:9'),
        poll_interval_ms: 1000,
        http_timeout_ms: 700,
      });
      expect(JSON.parse(JSON.stringify(status))).toEqual(status);
    });

    it('sends the replication token, or else the auth token', async () => {
      const seen: string[] = [];
      const recording = jest.fn<LeaderFetch>(async (_url, init) => {
        seen.push((init.headers as Record<string, string>).authorization ?? '');
        throw new Error('stop here');
      });
      follower = new ReplicaFollower(
        engine,
        options({ replicaUrl: 'http://leader:1', authToken: 'kv-token' }),
        recording,
      );
      follower.onApplicationBootstrap();
      await until(() => seen.length > 0);
      expect(seen[0]).toBe('Bearer kv-token');
    });
  });

  describe('onApplicationBootstrap', () => {
    it('backs off exponentially while the leader is down, up to the cap', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(1);
      follower = new ReplicaFollower(engine, options({ replicaUrl: 'http://127.0.0.1:9' }), refused);
      follower.onApplicationBootstrap();
      await until(() => refused.mock.calls.length === 1);
      // Delays are poll + min(cap, poll * 2^(n-1)) with the jitter pinned at its maximum.
      for (const [delay, calls] of [
        [1999, 1],
        [1, 2],
        [2999, 2],
        [1, 3],
        [4999, 3],
        [1, 4],
        [8999, 4],
        [1, 5],
        [16_999, 5],
        [1, 6],
      ] as const) {
        await jest.advanceTimersByTimeAsync(delay);
        expect(refused).toHaveBeenCalledTimes(calls);
      }
      for (let calls = 7; calls <= 9; calls++) {
        await jest.advanceTimersByTimeAsync(1000 + REPLICA_MAX_BACKOFF_MS - 1);
        expect(refused).toHaveBeenCalledTimes(calls - 1);
        await jest.advanceTimersByTimeAsync(1);
        expect(refused).toHaveBeenCalledTimes(calls);
      }
    });
  });

  describe('stop', () => {
    it('aborts the request in flight and polls no more', async () => {
      let signal: AbortSignal | undefined;
      const hanging = jest.fn<LeaderFetch>(
        (_url, init) =>
          new Promise((_, reject) => {
            signal = init.signal ?? undefined;
            signal?.addEventListener('abort', () => reject(signal?.reason));
          }),
      );
      follower = new ReplicaFollower(
        engine,
        options({ replicaUrl: 'http://leader:1', replicaHttpTimeoutMs: 60_000 }),
        hanging,
      );
      follower.onApplicationBootstrap();
      await until(() => signal !== undefined);
      await follower.beforeApplicationShutdown();
      expect(signal?.aborted).toBe(true);
      await jest.advanceTimersByTimeAsync(120_000);
      expect(hanging).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
