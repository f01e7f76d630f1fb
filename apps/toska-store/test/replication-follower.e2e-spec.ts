// A leader and a follower, both real servers in this process on port 0 with temp data dirs. Pins the
// original follower's bugs, fixed here: after a leader snapshot or compaction its offset stayed above the
// new AOF size and later writes never arrived; it skipped everything past the first 64 KiB of a read;
// its own AOF records never verified, so replicated writes vanished on restart; and
// /replication/status answered 500 once an error was recorded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@toskamesh/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToskaStoreOptions } from '../src/config/toska-store-options.js';
import type { ReplicaFollowerStatus } from '../src/replication/follower/replica-follower.service.js';
import { startToskaStore, type ToskaStoreServer } from '../src/start-toska-store.js';
import { recordChecksum } from '../src/store/record-checksum.js';

const KV_TOKEN = 'kv-token';
const REPLICATION_TOKEN = 'replication-token';
const WAIT = { timeoutMs: 15_000, intervalMs: 50 };

const headers = (token = KV_TOKEN) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

async function put(server: ToskaStoreServer, key: string, value: string, ttlMs?: number): Promise<Response> {
  const body = JSON.stringify(ttlMs === undefined ? { value } : { value, ttl_ms: ttlMs });
  return fetch(`${server.url}/kv/${encodeURIComponent(key)}`, { method: 'PUT', headers: headers(), body });
}

async function read(server: ToskaStoreServer, key: string): Promise<string | undefined> {
  const response = await fetch(`${server.url}/kv/${encodeURIComponent(key)}`, { headers: headers() });
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string }).value;
}

async function replicationStatus(
  server: ToskaStoreServer,
): Promise<{ code: number; body: ReplicaFollowerStatus }> {
  const response = await fetch(`${server.url}/replication/status`, { headers: headers(REPLICATION_TOKEN) });
  return { code: response.status, body: (await response.json()) as ReplicaFollowerStatus };
}

/** Waits until the follower has applied everything the leader's current AOF holds. */
async function caughtUp(leader: ToskaStoreServer, follower: ToskaStoreServer): Promise<void> {
  await eventually(async () => {
    const { body } = await replicationStatus(follower);
    expect(body.offset).toBe(leader.engine.replicationInfo().aofSize);
  }, WAIT);
}

describe('follower replication (leader + follower servers)', () => {
  const dirs: string[] = [];
  let leader: ToskaStoreServer;
  let follower: ToskaStoreServer;
  let followerOptions: Partial<ToskaStoreOptions>;

  const tempDir = async (name: string) => {
    const dir = await mkdtemp(join(tmpdir(), `toska-${name}-`));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    leader = await startToskaStore(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: await tempDir('leader'),
        authToken: KV_TOKEN,
        replicationAuthToken: REPLICATION_TOKEN,
      },
      { logger: false },
    );
    followerOptions = {
      host: '127.0.0.1',
      port: 0,
      dataDir: await tempDir('follower'),
      authToken: KV_TOKEN,
      replicationAuthToken: REPLICATION_TOKEN,
      replicaUrl: leader.url,
      replicaPollMs: 50,
      replicaHttpTimeoutMs: 2000,
    };
    follower = await startToskaStore(followerOptions, { logger: false });
  });

  afterAll(async () => {
    await follower?.close();
    await leader?.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('replicates writes, deletes, non-ASCII keys and values, and TTLs', async () => {
    expect((await put(leader, 'hello', 'world')).status).toBe(200);
    expect((await put(leader, 'ключ/日本', 'wörld 🌍')).status).toBe(200);
    expect((await put(leader, 'ttl', 'soon gone', 60_000)).status).toBe(200);
    expect((await put(leader, 'doomed', 'x')).status).toBe(200);
    await fetch(`${leader.url}/kv/doomed`, { method: 'DELETE', headers: headers() });
    await eventually(async () => {
      expect(await read(follower, 'hello')).toBe('world');
      expect(await read(follower, 'ключ/日本')).toBe('wörld 🌍');
      expect(await read(follower, 'ttl')).toBe('soon gone');
    }, WAIT);
    await caughtUp(leader, follower);
    expect(await read(follower, 'doomed')).toBeUndefined();
    expect(follower.engine.get('ttl')?.expiresAt).toBe(leader.engine.get('ttl')?.expiresAt);
    expect(follower.engine.get('ttl')?.expiresAt).toEqual(expect.any(Number));
  });

  it('answers writes on the follower with 403', async () => {
    const write = await put(follower, 'hello', 'nope');
    expect(write.status).toBe(403);
    expect(await write.json()).toEqual({ error: 'Read-only follower' });
    const remove = await fetch(`${follower.url}/kv/hello`, { method: 'DELETE', headers: headers() });
    expect(remove.status).toBe(403);
  });

  it('answers /replication/status with 404 on a server that follows nobody', async () => {
    const response = await fetch(`${leader.url}/replication/status`, { headers: headers(REPLICATION_TOKEN) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'Follower not running' });
  });

  it('keeps replicating after the leader serves a snapshot, which truncates its AOF', async () => {
    await put(leader, 'before-snapshot', '1');
    await caughtUp(leader, follower);
    const offsetBefore = (await replicationStatus(follower)).body.offset;
    const snapshot = await fetch(`${leader.url}/replication/snapshot`, {
      headers: headers(REPLICATION_TOKEN),
    });
    expect(snapshot.status).toBe(200);
    await snapshot.arrayBuffer();
    expect(leader.engine.replicationInfo().aofSize).toBe(0);
    await put(leader, 'after-snapshot', '2');
    await eventually(async () => expect(await read(follower, 'after-snapshot')).toBe('2'), WAIT);
    await caughtUp(leader, follower);
    expect((await replicationStatus(follower)).body.offset).toBeLessThan(offsetBefore);
  });

  it('keeps replicating after the leader compacts its AOF', async () => {
    await put(leader, 'before-compaction', '1');
    expect(await leader.engine.compact(true)).toBe(true);
    await put(leader, 'after-compaction', '2');
    await eventually(async () => {
      expect(await read(follower, 'before-compaction')).toBe('1');
      expect(await read(follower, 'after-compaction')).toBe('2');
    }, WAIT);
    await caughtUp(leader, follower);
  });

  it('skips nothing of a write burst far larger than one 64 KiB read, a record longer than one read included', async () => {
    const big = 'B'.repeat(200_000);
    const writes = [put(leader, 'big', big)];
    for (let i = 0; i < 300; i++) writes.push(put(leader, `burst-${i}`, `${i}:${'v'.repeat(900)}`));
    expect((await Promise.all(writes)).every((response) => response.status === 200)).toBe(true);
    await caughtUp(leader, follower);
    expect(await read(follower, 'big')).toBe(big);
    const values = follower.engine.mget(Array.from({ length: 300 }, (_, i) => `burst-${i}`));
    expect([...values.values()].filter((value) => value === null)).toHaveLength(0);
    expect(values.get('burst-299')).toBe(`299:${'v'.repeat(900)}`);
  });

  it('writes its own AOF records with checksums that verify', async () => {
    await put(leader, 'in-follower-aof', 'yes');
    await caughtUp(leader, follower);
    const aof = await readFile(join(followerOptions.dataDir!, 'toska.aof'), 'utf8');
    const records = aof
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, never>);
    expect(records.length).toBeGreaterThan(0);
    expect(records.some((record) => record['key'] === 'in-follower-aof')).toBe(true);
    for (const record of records) expect(recordChecksum(record)).toBe(record['checksum']);
  });

  it('serves a follower of its own (a chain), whose records verify too', async () => {
    const second = await startToskaStore(
      { ...followerOptions, dataDir: await tempDir('second'), replicaUrl: follower.url },
      { logger: false },
    );
    try {
      await put(leader, 'chained', 'through two hops ✓');
      await eventually(async () => expect(await read(second, 'chained')).toBe('through two hops ✓'), WAIT);
      expect(await read(second, 'burst-42')).toBe(`42:${'v'.repeat(900)}`);
    } finally {
      await second.close();
    }
  });

  it('restarts with its data while the leader is down, and reports the failure as 200 with a string', async () => {
    // Written after the follower's last local snapshot: only its own AOF has it, so only a replay of
    // records whose checksums verify brings it back.
    await put(leader, 'only-in-follower-aof', 'replayed');
    await caughtUp(leader, follower);
    await follower.close();
    await leader.close();
    follower = await startToskaStore({ ...followerOptions, replicaPollMs: 100 }, { logger: false });
    expect(await read(follower, 'only-in-follower-aof')).toBe('replayed');
    expect(await read(follower, 'in-follower-aof')).toBe('yes');
    expect(await read(follower, 'after-compaction')).toBe('2');
    expect(await read(follower, 'ключ/日本')).toBe('wörld 🌍');
    expect(await read(follower, 'burst-150')).toBe(`150:${'v'.repeat(900)}`);
    await eventually(async () => {
      const { code, body } = await replicationStatus(follower);
      expect(code).toBe(200);
      expect(body.last_error).toEqual(expect.stringContaining(leader.url));
      expect(body.leader_url).toBe(leader.url);
    }, WAIT);
  });
});
