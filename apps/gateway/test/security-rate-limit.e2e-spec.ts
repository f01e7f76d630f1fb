import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sleep } from '@toskamesh/common';
import { eventually, freePort, uniqueName } from '@toskamesh/testing';
import { Redis } from 'ioredis';
import { createServer, connect, type Server, type Socket } from 'node:net';
import {
  createRateLimiter,
  type GatewayRateLimitSettings,
} from '../src/security/rate-limit/create-rate-limiter.js';
import { rateLimitHeaders } from '../src/security/rate-limit/rate-limit-headers.js';
import { RedisRateLimiter } from '../src/security/rate-limit/redis-rate-limiter.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PREFIX = `${uniqueName('gw-rate-limit')}:`;

const opened: RedisRateLimiter[] = [];
let raw: Redis;

function settings(overrides: Partial<GatewayRateLimitSettings> = {}): GatewayRateLimitSettings {
  return {
    enabled: true,
    permitLimit: 5,
    windowMs: 60_000,
    key: 'auto',
    store: 'redis',
    redisUrl: REDIS_URL,
    redisKeyPrefix: PREFIX,
    trustedProxies: [],
    ...overrides,
  };
}

const quietLogger = () => ({ warn: jest.fn(), log: jest.fn() });

/** A connected Redis limiter (closed after the test). */
async function redisLimiter(overrides: Partial<GatewayRateLimitSettings> = {}, logger = quietLogger()) {
  const limiter = createRateLimiter(settings(overrides), { logger, redisCommandTimeoutMs: 2_000 });
  if (!(limiter instanceof RedisRateLimiter)) throw new Error('expected the Redis limiter');
  opened.push(limiter);
  await eventually(() => expect(limiter.connected).toBe(true));
  return limiter;
}

/**
 * A TCP relay to the real Redis that a test can cut (close) and restore on the same port, or stall
 * (stop relaying requests while the connection stays up).
 */
class RedisRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  stalled = false;

  constructor(readonly port: number) {}

  async open(): Promise<void> {
    const target = new URL(REDIS_URL);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('data', (chunk) => {
        if (!this.stalled) upstream.write(chunk);
      });
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

beforeAll(() => {
  raw = new Redis(REDIS_URL, { commandTimeout: 2_000, maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
});

afterAll(async () => {
  const keys = await raw.keys(`${PREFIX}*`);
  if (keys.length > 0) await raw.del(...keys);
  await raw.quit();
});

describe(RedisRateLimiter.name, () => {
  describe('consume', () => {
    it('allows permitLimit requests, then refuses with Retry-After and RateLimit headers', async () => {
      const limiter = await redisLimiter({ permitLimit: 3 });
      const decisions = [];
      for (let i = 0; i < 4; i += 1) decisions.push(await limiter.consume('ip:limit'));
      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
      const refused = rateLimitHeaders(decisions[3]!);
      expect(refused['ratelimit-limit']).toBe('3');
      // One permit returns every 20 s; a stalled CI machine only makes these smaller.
      expect(Number(refused['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused['retry-after'])).toBeLessThanOrEqual(20);
      expect(Number(refused['ratelimit-reset'])).toBeLessThanOrEqual(60);
      expect(limiter.failOpenTotal).toBe(0);
    });

    it('shares one count between two gateway replicas', async () => {
      const first = await redisLimiter();
      const second = await redisLimiter();
      for (let i = 0; i < 3; i += 1) expect((await first.consume('user:shared')).allowed).toBe(true);
      expect(await second.consume('user:shared')).toMatchObject({ allowed: true, remaining: 1 });
      expect(await second.consume('user:shared')).toMatchObject({ allowed: true, remaining: 0 });
      expect((await first.consume('user:shared')).allowed).toBe(false);
      expect((await second.consume('user:shared')).allowed).toBe(false);
      expect((await second.consume('user:someone-else')).allowed).toBe(true);
    });

    it('has the whole quota back once the window has passed', async () => {
      const limiter = await redisLimiter({ permitLimit: 2, windowMs: 1_000 });
      // Permits trickle back every 500 ms, so a stall may need a few more tries to reach a refusal.
      let refused = false;
      for (let i = 0; i < 50 && !refused; i += 1) refused = !(await limiter.consume('ip:reset')).allowed;
      expect(refused).toBe(true);
      await sleep(1_100);
      expect(await limiter.consume('ip:reset')).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('stores one key per client under the prefix, expiring within the window', async () => {
      const limiter = await redisLimiter({ permitLimit: 10, windowMs: 30_000 });
      await limiter.consume('apikey:ttl');
      const ttl = await raw.pttl(`${PREFIX}apikey:ttl`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3_000);
    });

    it('loads the script again after Redis forgot it (NOSCRIPT)', async () => {
      const limiter = await redisLimiter();
      expect((await limiter.consume('ip:noscript')).allowed).toBe(true);
      await raw.script('FLUSH');
      expect(await limiter.consume('ip:noscript')).toMatchObject({ allowed: true, remaining: 3 });
      expect(limiter.failOpenTotal).toBe(0);
    });
  });

  describe('consume while Redis is down', () => {
    it('allows every request, counts them and warns once', async () => {
      const logger = quietLogger();
      const port = await freePort();
      const limiter = createRateLimiter(settings({ redisUrl: `redis://127.0.0.1:${port}`, permitLimit: 1 }), {
        logger,
      }) as RedisRateLimiter;
      opened.push(limiter);
      await eventually(() => expect(logger.warn).toHaveBeenCalled());
      for (let i = 0; i < 5; i += 1) {
        expect(await limiter.consume('ip:down')).toMatchObject({ allowed: true, limit: 1 });
      }
      // ioredis keeps reconnecting (and failing) meanwhile; the outage is still one warning.
      await sleep(400);
      expect(limiter.failOpenTotal).toBe(5);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(String(logger.warn.mock.calls[0]?.[0])).toContain('fails open');
    });
  });

  describe('consume across an outage', () => {
    it('fails open while Redis is cut off and counts again once it is back', async () => {
      const relay = new RedisRelay(await freePort());
      await relay.open();
      const logger = quietLogger();
      const limiter = await redisLimiter(
        { redisUrl: `redis://127.0.0.1:${relay.port}`, permitLimit: 1 },
        logger,
      );
      expect((await limiter.consume('ip:outage')).allowed).toBe(true);
      expect((await limiter.consume('ip:outage')).allowed).toBe(false);
      try {
        await relay.cut();
        await eventually(() => expect(limiter.connected).toBe(false));
        expect((await limiter.consume('ip:outage')).allowed).toBe(true);
        await eventually(() => expect(logger.warn).toHaveBeenCalledTimes(1));
      } finally {
        await relay.open();
      }
      // ioredis reconnects on its own (back-off at most 2 s).
      await eventually(() => expect(limiter.connected).toBe(true), { timeoutMs: 10_000 });
      expect((await limiter.consume('ip:outage')).allowed).toBe(false);
      expect(logger.log).toHaveBeenCalledWith('Rate limiting uses Redis again');
      expect(logger.warn).toHaveBeenCalledTimes(1);
      await relay.cut();
    });

    it('fails open when Redis answers slower than the command timeout', async () => {
      const relay = new RedisRelay(await freePort());
      await relay.open();
      const logger = quietLogger();
      const limiter = createRateLimiter(
        settings({ redisUrl: `redis://127.0.0.1:${relay.port}`, permitLimit: 1 }),
        { logger, redisCommandTimeoutMs: 300 },
      ) as RedisRateLimiter;
      opened.push(limiter);
      try {
        await eventually(() => expect(limiter.connected).toBe(true));
        relay.stalled = true;
        expect((await limiter.consume('ip:stall')).allowed).toBe(true);
        expect((await limiter.consume('ip:stall')).allowed).toBe(true);
        expect(limiter.failOpenTotal).toBe(2);
        expect(logger.warn).toHaveBeenCalledTimes(1);
      } finally {
        await relay.cut();
      }
    });
  });
});
