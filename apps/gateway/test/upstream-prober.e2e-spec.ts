import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CircuitBreakerRegistry } from '@toskamesh/resilience';
import { eventually, freePort } from '@toskamesh/testing';
import type { ResolvedGatewayOptions } from '../src/config/resolved-gateway-options.js';
import { ActiveProber } from '../src/upstream/active-prober.js';
import { httpProbe } from '../src/upstream/http-probe.js';
import { UpstreamPools } from '../src/upstream/upstream-pools.js';
import { testBreakers, testGatewayOptions, testInstance, testPolicy } from './upstream-fixtures.js';

const POLICY = testPolicy({
  strategy: 'RoundRobin',
  hashHeaders: [],
  retry: { replayBufferBytes: 0, retryOnStatuses: [502] },
  breaker: { enabled: false },
});

const PROBES: ResolvedGatewayOptions['activeProbes'] = {
  enabled: true,
  intervalMs: 100,
  timeoutMs: 1000,
  path: '/health',
  unhealthyThreshold: 2,
};

/** A real upstream whose `/health` answers 200 or 500 as told, or never answers. */
class Upstream {
  health: 'ok' | 'failing' | 'hanging' = 'ok';
  readonly server: Server;
  private readonly hung: ServerResponse[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      if (req.url !== '/health') return void res.end('hello');
      if (this.health === 'hanging') return void this.hung.push(res);
      res.statusCode = this.health === 'ok' ? 200 : 500;
      res.end(this.health);
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async listen(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('Active probes against real upstreams', () => {
  const upstreams = [new Upstream(), new Upstream(), new Upstream()];
  let breakers: CircuitBreakerRegistry;
  let pools: UpstreamPools;
  let prober: ActiveProber;

  const statusOf = (id: string) => pools.snapshots()[0]!.targets.find((t) => t.id === id)?.status;

  beforeAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.listen()));
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });
  afterEach(async () => {
    await prober.stop();
    breakers.shutdown();
    for (const upstream of upstreams) upstream.health = 'ok';
  });

  const start = (probes: ResolvedGatewayOptions['activeProbes'] = PROBES) => {
    const list = upstreams.map((upstream, i) => testInstance(`orders-${i}`, { port: upstream.port }));
    breakers = testBreakers();
    pools = new UpstreamPools({
      catalog: { instances: () => list },
      options: testGatewayOptions({ upstream: POLICY, activeProbes: probes }),
      breakers,
      logger: { log: jest.fn(), warn: jest.fn() },
    });
    const pool = pools.poolFor({ kind: 'service', service: 'orders', upstreamPath: '/' })!;
    prober = new ActiveProber(pools, probes, { logger: { warn: jest.fn() } });
    prober.start();
    return pool;
  };

  it('ejects an instance whose /health answers 500 and brings it back once healed', async () => {
    const pool = start();
    upstreams[1]!.health = 'failing';
    await eventually(() => expect(statusOf('orders-1')).toBe('ejected'), { timeoutMs: 10_000 });
    const picked = [...Array(20)].map(() => {
      const attempt = pool.pick({})!;
      attempt.finish({ outcome: 'success', status: 200 });
      return attempt.target.id;
    });
    expect(new Set(picked)).toEqual(new Set(['orders-0', 'orders-2']));

    upstreams[1]!.health = 'ok';
    await eventually(() => expect(statusOf('orders-1')).toBe('healthy'), { timeoutMs: 10_000 });
    expect(pool.availableCount()).toBe(3);
  });

  it('counts a probe that outlasts timeoutMs as failed', async () => {
    start({ ...PROBES, timeoutMs: 200 });
    upstreams[2]!.health = 'hanging';
    await eventually(() => expect(statusOf('orders-2')).toBe('ejected'), { timeoutMs: 10_000 });
    expect(statusOf('orders-0')).toBe('healthy');
  });
});

describe('httpProbe', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = Number(req.url?.slice(1)) || 200;
      res.end('x'.repeat(100_000));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const probe = (path: string, signal = new AbortController().signal) =>
    httpProbe(new URL(`http://127.0.0.1:${port}${path}`), 2000, signal);

  it.each([
    ['/200', true],
    ['/204', true],
    ['/302', true],
    ['/404', false],
    ['/500', false],
    ['/503', false],
  ])('reads %s as healthy=%s', async (path, healthy) => {
    await expect(probe(path)).resolves.toBe(healthy);
  });

  it('reads a refused connection as unhealthy', async () => {
    const closed = await freePort();
    await expect(
      httpProbe(new URL(`http://127.0.0.1:${closed}/health`), 2000, new AbortController().signal),
    ).resolves.toBe(false);
  });

  it('settles false at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(probe('/200', controller.signal)).resolves.toBe(false);
  });
});
