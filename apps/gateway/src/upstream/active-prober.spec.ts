import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import type { CircuitBreakerRegistry } from '@toskamesh/resilience';
import { testBreakers, testGatewayOptions, testInstance, testPolicy } from '../../test/upstream-fixtures.js';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { ActiveProber, probeUrl } from './active-prober.js';
import type { HealthProbe } from './http-probe.js';
import { UpstreamPools } from './upstream-pools.js';

const POLICY = testPolicy({
  hashHeaders: [],
  retry: { replayBufferBytes: 0, retryOnStatuses: [502] },
  breaker: { enabled: false },
});

type ProbeOptions = ResolvedGatewayOptions['activeProbes'];
const PROBES: ProbeOptions = {
  enabled: true,
  intervalMs: 1000,
  timeoutMs: 300,
  path: '/health',
  unhealthyThreshold: 2,
};

const instance = (id: string, port: number, metadata: Record<string, string> = {}) =>
  testInstance(id, { port, metadata });

describe(ActiveProber.name, () => {
  let breakers: CircuitBreakerRegistry;
  let pools: UpstreamPools;
  let prober: ActiveProber | undefined;
  let list: ServiceInstance[];

  const startProber = (probe: HealthProbe, options: Partial<ProbeOptions> = {}, concurrency?: number) => {
    prober = new ActiveProber(
      pools,
      { ...PROBES, ...options },
      { probe, concurrency, logger: { warn: jest.fn() } },
    );
    prober.start();
    return prober;
  };
  const status = () => pools.snapshots()[0]!.targets.map((t) => `${t.id}=${t.status}`);

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    breakers = testBreakers();
    list = [instance('a', 7001), instance('b', 7002, { health_check_endpoint: '/ready' })];
    pools = new UpstreamPools({
      catalog: { instances: () => list },
      options: testGatewayOptions({ upstream: POLICY, activeProbes: PROBES }),
      breakers,
      logger: { log: jest.fn(), warn: jest.fn() },
    });
    pools.poolFor({ kind: 'service', service: 'orders', upstreamPath: '/' });
  });
  afterEach(async () => {
    await prober?.stop();
    prober = undefined;
    breakers.shutdown();
    jest.useRealTimers();
  });

  describe('start', () => {
    it('does nothing when probes are disabled', async () => {
      const probe = jest.fn<HealthProbe>(async () => true);
      startProber(probe, { enabled: false });
      await jest.advanceTimersByTimeAsync(5000);
      expect(probe).not.toHaveBeenCalled();
    });

    it('probes every target each interval at its health endpoint', async () => {
      const probe = jest.fn<HealthProbe>(async () => true);
      startProber(probe);
      await jest.advanceTimersByTimeAsync(0);
      expect(probe.mock.calls.map(([url, timeoutMs]) => [url.href, timeoutMs])).toEqual([
        ['http://127.0.0.1:7001/health', 300],
        ['http://127.0.0.1:7002/ready', 300],
      ]);
      await jest.advanceTimersByTimeAsync(1000);
      expect(probe).toHaveBeenCalledTimes(4);
    });

    it('ejects a target after unhealthyThreshold failed rounds and restores it on a pass', async () => {
      let healthy = false;
      startProber(async (url) => healthy || url.port === '7002');
      await jest.advanceTimersByTimeAsync(0);
      expect(status()).toEqual(['a=healthy', 'b=healthy']);
      await jest.advanceTimersByTimeAsync(1000);
      expect(status()).toEqual(['a=ejected', 'b=healthy']);
      healthy = true;
      await jest.advanceTimersByTimeAsync(1000);
      expect(status()).toEqual(['a=healthy', 'b=healthy']);
    });

    it('counts a probe that throws as failed', async () => {
      startProber(async (url) => {
        if (url.port === '7001') throw new Error('boom');
        return true;
      });
      await jest.advanceTimersByTimeAsync(1000);
      expect(status()).toEqual(['a=ejected', 'b=healthy']);
    });

    it('keeps at most `concurrency` probes in flight and never overlaps rounds', async () => {
      list = [...Array(10)].map((_, i) => instance(`i${i}`, 7000 + i));
      let inFlight = 0;
      let most = 0;
      const probe = jest.fn<HealthProbe>(async (_url, _timeout, signal) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 400);
          signal.addEventListener('abort', () => resolve(clearTimeout(timer)));
        });
        inFlight -= 1;
        return true;
      });
      startProber(probe, {}, 3);
      // 10 probes, 3 at a time, 400 ms each: the round takes 1600 ms, longer than the interval.
      await jest.advanceTimersByTimeAsync(1500);
      expect(probe).toHaveBeenCalledTimes(10);
      expect(most).toBe(3);
      await jest.advanceTimersByTimeAsync(150);
      expect(probe).toHaveBeenCalledTimes(13);
    });
  });

  describe('stop', () => {
    it('cancels the probes in flight, awaits them and reports nothing more', async () => {
      const signals: AbortSignal[] = [];
      const probe = jest.fn<HealthProbe>(
        (_url, _timeout, signal) =>
          new Promise((resolve) => {
            signals.push(signal);
            signal.addEventListener('abort', () => resolve(false));
          }),
      );
      const running = startProber(probe);
      await jest.advanceTimersByTimeAsync(0);
      await running.stop();
      expect(signals.every((signal) => signal.aborted)).toBe(true);
      expect(status()).toEqual(['a=healthy', 'b=healthy']);
      await jest.advanceTimersByTimeAsync(5000);
      expect(probe).toHaveBeenCalledTimes(2);
      expect(pools.snapshots()[0]!.targets.every((t) => t.consecutiveFailures === 0)).toBe(true);
    });
  });
});

describe('probeUrl', () => {
  const target = { id: 'a', origin: new URL('http://10.0.0.1:80'), basePath: '' };
  it.each([
    [undefined, 'http://10.0.0.1/health'],
    ['/ready?deep=1', 'http://10.0.0.1/ready?deep=1'],
    ['ready', 'http://10.0.0.1/ready'],
    ['http://elsewhere:9999/hc', 'http://10.0.0.1/hc'],
  ])('probes %p as %s', (endpoint, url) => {
    const metadata: Record<string, string> =
      endpoint === undefined ? {} : { health_check_endpoint: endpoint };
    expect(probeUrl({ ...target, instance: { ...instance('a', 80), metadata } }, '/health').href).toBe(url);
  });
});
