import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { LoadBalancerRegistry } from '@toskamesh/load-balancing';
import { CircuitBreakerRegistry, RetryBudgetRegistry } from '@toskamesh/resilience';
import type { Dispatcher } from 'undici';
import { NoHealthyInstanceError } from '../errors/no-healthy-instance.error.js';
import { UpstreamStatusError } from '../errors/upstream-status.error.js';
import type { InstanceDirectory } from './instance-directory.js';
import { MeshServiceClient } from './mesh-service-client.js';

function instance(serviceId: string, port: number): ServiceInstance {
  return {
    serviceName: 'orders',
    serviceId,
    address: '127.0.0.1',
    port,
    scheme: 'http',
    status: 'Healthy',
    metadata: { lb_strategy: 'RoundRobin' },
    tags: [],
    registeredAt: new Date(0),
    lastHeartbeatAt: null,
  } as unknown as ServiceInstance;
}

const INSTANCES = [instance('orders-a', 1001), instance('orders-b', 1002), instance('orders-c', 1003)];

type Outcome = { status: number; body?: string; type?: string } | { error: string };

/** Answers each request from `outcomes` by port and records the requests made. */
class FakeDispatcher {
  readonly requests: { origin: string; method: string; headers: Record<string, string>; body?: unknown }[] =
    [];

  constructor(private readonly outcomes: Record<number, Outcome>) {}

  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    const origin = String(options.origin);
    this.requests.push({
      origin,
      method: options.method,
      headers: options.headers as Record<string, string>,
      body: options.body,
    });
    const outcome = this.outcomes[Number(new URL(origin).port)] ?? { status: 200, body: '{}' };
    if ('error' in outcome) {
      return Promise.reject(Object.assign(new Error(`connect ${outcome.error}`), { code: outcome.error }));
    }
    const { status, body = '', type = 'application/json' } = outcome;
    return Promise.resolve({
      statusCode: status,
      headers: { 'content-type': type },
      body: { text: () => Promise.resolve(body) },
    } as unknown as Dispatcher.ResponseData);
  }

  ports(): number[] {
    return this.requests.map((request) => Number(new URL(request.origin).port));
  }
}

function client(outcomes: Record<number, Outcome> = {}, instances = INSTANCES) {
  const dispatcher = new FakeDispatcher(outcomes);
  const subject = new MeshServiceClient('orders', {
    directory: { healthy: () => Promise.resolve(instances) } as unknown as InstanceDirectory,
    balancers: new LoadBalancerRegistry(),
    breakers: new CircuitBreakerRegistry(),
    retries: new RetryBudgetRegistry({ retry: { backoff: { initialMs: 1, maxMs: 5 } } }),
    dispatcher: dispatcher as unknown as Dispatcher,
    outboundHeaders: (headers) => {
      headers.authorization = 'Bearer service-token';
      return Promise.resolve();
    },
    timeoutMs: 2000,
    extraAttempts: 2,
  });
  return { subject, dispatcher };
}

function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe(MeshServiceClient.name, () => {
  describe('request', () => {
    it('sends JSON with the outbound headers and parses a JSON answer', async () => {
      const { subject, dispatcher } = client({ 1001: { status: 201, body: '{"id":7}' } });
      const response = await subject.request({
        method: 'post',
        path: 'items',
        body: { qty: 1 },
        headers: { 'X-Tenant': 't1' },
      });
      expect(response).toMatchObject({ status: 201, body: { id: 7 }, instance: { serviceId: 'orders-a' } });
      expect(dispatcher.requests[0]).toMatchObject({
        origin: 'http://127.0.0.1:1001',
        method: 'POST',
        body: '{"qty":1}',
        headers: {
          'content-type': 'application/json',
          'x-tenant': 't1',
          authorization: 'Bearer service-token',
          accept: 'application/json',
        },
      });
    });

    it('returns a non-JSON answer as text', async () => {
      const { subject } = client({ 1001: { status: 200, body: 'plain', type: 'text/plain' } });
      await expect(subject.get('/x')).resolves.toBe('plain');
    });

    it('throws NoHealthyInstanceError without calling anyone when there is no instance', async () => {
      const { subject, dispatcher } = client({}, []);
      await expect(subject.get('/x')).rejects.toBeInstanceOf(NoHealthyInstanceError);
      expect(dispatcher.requests).toHaveLength(0);
    });

    it('retries a GET on other instances after a connection reset', async () => {
      const { subject, dispatcher } = client({ 1001: { error: 'ECONNRESET' } });
      await expect(subject.get('/x')).resolves.toEqual({});
      expect(dispatcher.ports()).toEqual([1001, 1002]);
    });

    it('retries a POST only when the connection was refused (it never reached the service)', async () => {
      const refused = client({ 1001: { error: 'ECONNREFUSED' } });
      await expect(refused.subject.post('/x', {})).resolves.toEqual({});
      expect(refused.dispatcher.ports()).toEqual([1001, 1002]);

      const reset = client({ 1001: { error: 'ECONNRESET' } });
      await expect(reset.subject.post('/x', {})).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(reset.dispatcher.ports()).toEqual([1001]);
    });

    it('retries a GET answered 503 on the next instance, but not a POST', async () => {
      const get = client({ 1001: { status: 503 } });
      await expect(get.subject.get('/x')).resolves.toEqual({});
      expect(get.dispatcher.ports()).toEqual([1001, 1002]);

      const post = client({ 1001: { status: 503 } });
      await expect(post.subject.post('/x')).rejects.toBeInstanceOf(UpstreamStatusError);
      expect(post.dispatcher.ports()).toEqual([1001]);
    });

    it('throws UpstreamStatusError with status and body for a 4xx, without retrying', async () => {
      const { subject, dispatcher } = client({
        1001: { status: 404, body: '{"title":"Not Found"}', type: 'application/problem+json' },
      });
      const error = await failure(subject.get('/items/9'));
      expect(error).toBeInstanceOf(UpstreamStatusError);
      expect(error).toMatchObject({ status: 404, body: { title: 'Not Found' }, retryable: false });
      expect(dispatcher.ports()).toEqual([1001]);
    });

    it('gives up after 1 + extraAttempts attempts, each on a different instance', async () => {
      const { subject, dispatcher } = client({
        1001: { error: 'ECONNREFUSED' },
        1002: { error: 'ECONNREFUSED' },
        1003: { error: 'ECONNREFUSED' },
      });
      await expect(subject.get('/x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(dispatcher.ports().sort()).toEqual([1001, 1002, 1003]);
    });
  });
});
