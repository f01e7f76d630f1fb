import { describe, expect, it, jest } from '@jest/globals';
import { MeshTimeoutError } from '@toskamesh/common';
import { LeaderRequestError } from './errors/leader-request.error.js';
import { LeaderClient, type LeaderFetch } from './leader.client.js';

function client(fetch: LeaderFetch, token = 'repl-token', timeoutMs = 1000): LeaderClient {
  return new LeaderClient({ baseUrl: 'http://leader:4000/', token, timeoutMs, fetch });
}

const reply = (body: string | null, status = 200, headers: Record<string, string> = {}) =>
  jest.fn<LeaderFetch>(async () => new Response(body, { status, headers }));

describe(LeaderClient.name, () => {
  describe('aof', () => {
    it('asks for the range with the bearer token and returns the bytes and the leader size', async () => {
      const fetch = reply('{"op":"set"}\n', 200, { 'x-toska-aof-size': '900', 'x-toska-aof-offset': '13' });
      const slice = await client(fetch).aof(13, 65_536);
      expect(slice).toEqual({ status: 200, size: 900, bytes: Buffer.from('{"op":"set"}\n') });
      const [url, init] = fetch.mock.calls[0]!;
      expect(url).toBe('http://leader:4000/replication/aof?since=13&max_bytes=65536');
      expect((init.headers as Record<string, string>).authorization).toBe('Bearer repl-token');
      expect(init.signal).toBeInstanceOf(AbortSignal);
    });

    it('returns an empty 204 with the size', async () => {
      const slice = await client(reply(null, 204, { 'x-toska-aof-size': '42' })).aof(42, 10);
      expect(slice).toEqual({ status: 204, size: 42, bytes: Buffer.alloc(0) });
    });

    it('sends no authorization header when no token is set', async () => {
      const fetch = reply(null, 204);
      await client(fetch, '').aof(0, 10);
      expect(fetch.mock.calls[0]![1].headers).not.toHaveProperty('authorization');
    });

    it('fails with the status and body of an unexpected answer', async () => {
      const failure = client(reply('{"error":"Unauthorized"}', 401)).aof(0, 10);
      await expect(failure).rejects.toThrow(LeaderRequestError);
      await expect(failure).rejects.toMatchObject({
        status: 401,
        message: expect.stringContaining('HTTP 401 {"error":"Unauthorized"}'),
      });
    });

    it('names the socket error, not just "fetch failed"', async () => {
      const refused = jest.fn<LeaderFetch>(async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
      });
      await expect(client(refused).aof(0, 10)).rejects.toThrow(
        'GET http://leader:4000/replication/aof?since=0&max_bytes=10 failed: connect ECONNREFUSED 127.0.0.1:9',
      );
    });

    it('gives up at the deadline and aborts the request', async () => {
      let seen: AbortSignal | undefined;
      const hanging = jest.fn<LeaderFetch>(
        (_url, init) =>
          new Promise((_, reject) => {
            seen = init.signal ?? undefined;
            seen?.addEventListener('abort', () => reject(seen?.reason));
          }),
      );
      const failure = client(hanging, '', 20).aof(0, 10);
      await expect(failure).rejects.toMatchObject({ cause: expect.any(MeshTimeoutError) });
      expect(seen?.aborted).toBe(true);
    });
  });

  describe('info', () => {
    it('reads the snapshot identity and AOF size', async () => {
      const body = JSON.stringify({ snapshot_checksum: 'abc', snapshot_created_at: 17, aof_size: 5 });
      await expect(client(reply(body)).info()).resolves.toEqual({
        snapshotChecksum: 'abc',
        snapshotCreatedAt: 17,
        aofSize: 5,
      });
    });

    it('reports nulls before the leader has a snapshot', async () => {
      const body = JSON.stringify({ snapshot_checksum: null, snapshot_created_at: null, aof_size: 0 });
      await expect(client(reply(body)).info()).resolves.toMatchObject({
        snapshotChecksum: null,
        snapshotCreatedAt: null,
      });
    });
  });

  describe('snapshot', () => {
    it('returns the file verbatim with its own checksum', async () => {
      const file = '{\n  "checksum": "c0ffee",\n  "created_at": 1,\n  "data": {},\n  "version": 1\n}';
      const snapshot = await client(reply(file, 200, { 'x-toska-snapshot-checksum': 'c0ffee' })).snapshot();
      expect(snapshot).toEqual({ json: file, checksum: 'c0ffee' });
    });
  });
});
