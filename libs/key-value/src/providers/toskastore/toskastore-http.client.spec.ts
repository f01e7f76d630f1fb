import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { CircuitBreakerRegistry, CircuitOpenError } from '@toskamesh/resilience';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import {
  ToskaStoreHttpClient,
  encodeKeySegment,
  type ToskaStoreResilienceOptions,
} from './toskastore-http.client.js';
import { resolveToskaStoreOptions } from './toskastore.options.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
};
const GET = { operation: 'GET "k"', method: 'GET', path: '/kv/k', handles: [404] } as const;

describe(ToskaStoreHttpClient.name, () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  let hits = 0;
  const clients: ToskaStoreHttpClient[] = [];
  const breakers: CircuitBreakerRegistry[] = [];
  // Breaker transitions are logged; keep them out of the output.
  const logs = [jest.spyOn(Logger.prototype, 'warn'), jest.spyOn(Logger.prototype, 'log')].map((spy) =>
    spy.mockImplementation(() => undefined),
  );

  const create = (timeoutMs = 2_000, resilience: ToskaStoreResilienceOptions = {}) => {
    const client = new ToskaStoreHttpClient(
      resolveToskaStoreOptions({ baseUrl, timeoutMs, authToken: 't' }),
      {
        metricsRegistry: new Registry(),
        // No jitter wait: the back-off is the retry interceptor's concern, not this spec's.
        retry: { maxAttempts: 3, random: () => 0 },
        ...resilience,
      },
    );
    clients.push(client);
    return client;
  };
  const registry = (volumeThreshold: number) => {
    const created = new CircuitBreakerRegistry({
      defaults: { volumeThreshold, resetTimeout: 60_000 },
      metricsRegistry: new Registry(),
    });
    breakers.push(created);
    return created;
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits += 1;
      request.resume();
      request.on('end', () => handler(request, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    breakers.splice(0).forEach((created) => created.shutdown());
    hits = 0;
  });
  afterAll(async () => {
    logs.forEach((spy) => spy.mockRestore());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('send', () => {
    it('retries a 503 and resolves with the answer that follows', async () => {
      handler = (_, response) =>
        hits < 3 ? json(response, 503, { error: 'busy' }) : json(response, 200, { v: 1 });
      await expect(create().send(GET)).resolves.toEqual({ status: 200, body: { v: 1 } });
      expect(hits).toBe(3);
    });

    it('retries a connection the server broke off', async () => {
      handler = (request, response) => (hits === 1 ? request.socket.destroy() : json(response, 200, {}));
      await expect(create().send(GET)).resolves.toMatchObject({ status: 200 });
      expect(hits).toBe(2);
    });

    it('gives up after maxAttempts with KeyValueUnavailableError carrying the status', async () => {
      handler = (_, response) => json(response, 503, { error: 'KV store unavailable' });
      const error = await create()
        .send(GET)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyValueUnavailableError);
      expect((error as KeyValueUnavailableError).details).toMatchObject({ status: 503 });
      expect((error as Error).message).toMatch(/KV store unavailable/);
      expect(hits).toBe(3);
    });

    it.each([500, 400, 401, 429])('does not retry HTTP %d', async (status) => {
      handler = (_, response) => json(response, status, { error: 'no' });
      await expect(create().send(GET)).rejects.toThrow();
      expect(hits).toBe(1);
    });

    it('resolves the statuses the caller handles without counting them as failures', async () => {
      handler = (_, response) => json(response, 404, { error: 'Not Found', key: 'k' });
      const client = create(2_000, { breakers: registry(2), retry: { maxAttempts: 1 } });
      for (let i = 0; i < 4; i++) await expect(client.send(GET)).resolves.toMatchObject({ status: 404 });
      expect(hits).toBe(4);
    });

    it('opens the per-server breaker after failures and then refuses without calling', async () => {
      handler = (_, response) => json(response, 500, { error: 'boom' });
      const shared = registry(2);
      const client = create(2_000, { breakers: shared, retry: { maxAttempts: 1 } });
      await expect(client.send(GET)).rejects.toThrow(KeyValueUnavailableError);
      await expect(client.send(GET)).rejects.toThrow(KeyValueUnavailableError);
      const refused = await client.send(GET).catch((e: unknown) => e);
      expect(hits).toBe(2);
      expect(refused).toBeInstanceOf(KeyValueUnavailableError);
      expect((refused as Error).cause).toBeInstanceOf(CircuitOpenError);
      expect(shared.states()).toEqual([
        expect.objectContaining({ target: client.breakerTarget, state: 'open' }),
      ]);
    });

    it('times an attempt out, aborts it and reports KeyValueUnavailableError', async () => {
      handler = () => undefined; // never answers
      const error = await create(60, { retry: { maxAttempts: 1 } })
        .send(GET)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyValueUnavailableError);
      expect((error as Error).message).toMatch(/timed out after 60 ms/);
    });

    it('counts timeouts as breaker failures', async () => {
      handler = () => undefined;
      const shared = registry(2);
      const client = create(40, { breakers: shared, retry: { maxAttempts: 1 } });
      await expect(client.send(GET)).rejects.toThrow(/timed out/);
      await expect(client.send(GET)).rejects.toThrow(/timed out/);
      expect(shared.states()[0]!.state).toBe('open');
    });
  });

  describe('health', () => {
    it('makes a single attempt, outside the breaker', async () => {
      handler = (_, response) => json(response, 503, { status: 'starting' });
      const shared = registry(1);
      const client = create(2_000, { breakers: shared });
      await expect(client.health()).resolves.toEqual({ status: 503, body: { status: 'starting' } });
      expect(hits).toBe(1);
      expect(shared.states()).toEqual([]);
    });
  });

  describe('close', () => {
    it('is idempotent and makes later calls fail with KeyValueUnavailableError', async () => {
      handler = (_, response) => json(response, 200, {});
      const shared = registry(5);
      const client = create(2_000, { breakers: shared });
      await client.send(GET);
      await client.close();
      await client.close();
      await expect(client.send(GET)).rejects.toThrow(/after close\(\)/);
      // A registry the store was given belongs to its owner and keeps guarding.
      expect(shared.get(client.breakerTarget).isShutdown).toBe(false);
    });

    it('shuts down a breaker registry of its own', async () => {
      handler = (_, response) => json(response, 200, {});
      const client = create();
      await client.send(GET);
      const own = (client as unknown as { breakers: CircuitBreakerRegistry }).breakers;
      await client.close();
      expect(own.get(client.breakerTarget).isShutdown).toBe(true);
    });
  });
});

describe(encodeKeySegment.name, () => {
  it('encodes "/" and reserved characters and leaves unreserved ones', () => {
    expect(encodeKeySegment("a/b c%d?e#f+g:h~i-j_k.l!m'n(o)p*q")).toBe(
      "a%2Fb%20c%25d%3Fe%23f%2Bg%3Ah~i-j_k.l!m'n(o)p*q",
    );
  });

  it('refuses a key with a lone surrogate, which has no UTF-8 form', () => {
    expect(() => encodeKeySegment('bad\uD800')).toThrow(/lone surrogate/);
  });
});
