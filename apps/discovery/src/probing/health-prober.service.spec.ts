import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { HealthStatus, ServiceInstance } from '@toskamesh/common';
import { ServiceNotRegisteredError, ServiceRegistry } from '@toskamesh/registry';
import { resolveDiscoveryOptions } from '../config/resolve-discovery-options.js';
import { InstanceTracker } from '../tracking/instance-tracker.service.js';
import { ChangeFeed } from '../watch/change-feed.service.js';
import { HealthProber } from './health-prober.service.js';
import type { HttpProbeClient, ProbeResult } from './http-probe.client.js';

/** Records heartbeats; knows which ids are registered. */
class HeartbeatRecorder extends ServiceRegistry {
  readonly beats: Array<[string, HealthStatus | undefined]> = [];
  readonly known = new Set<string>();
  override heartbeat(serviceId: string, status?: HealthStatus): Promise<void> {
    if (!this.known.has(serviceId)) return Promise.reject(new ServiceNotRegisteredError(serviceId));
    this.beats.push([serviceId, status]);
    return Promise.resolve();
  }
  register = unused;
  deregister = unused;
  updateMetadata = unused;
  instance = unused;
  services = unused;
  instances = unused;
  watch = unused;
}

function unused(): never {
  throw new Error('not used by HealthProber');
}

/** Answers probes from a script; counts calls. */
class ScriptedProbes {
  healthy = true;
  readonly urls: string[] = [];
  probe(url: string): Promise<ProbeResult> {
    this.urls.push(url);
    return Promise.resolve({ healthy: this.healthy, output: this.healthy ? 'HTTP 200' : 'HTTP 503' });
  }
}

function probed(serviceId: string, threshold = 2): ServiceInstance {
  return {
    serviceName: 'orders',
    serviceId,
    address: '10.0.0.9',
    port: 8080,
    scheme: 'http',
    status: 'Unknown',
    metadata: {},
    tags: [],
    registeredAt: new Date(0),
    lastHeartbeatAt: null,
    healthCheck: { endpoint: '/health', intervalMs: 10_000, timeoutMs: 1000, unhealthyThreshold: threshold },
  };
}

describe(HealthProber.name, () => {
  let registry: HeartbeatRecorder;
  let probes: ScriptedProbes;
  let feed: ChangeFeed;
  let prober: HealthProber;

  beforeEach(() => {
    jest.useFakeTimers();
    const options = resolveDiscoveryOptions({ probing: { maxConcurrent: 1, maxInstances: 2 } });
    registry = new HeartbeatRecorder();
    probes = new ScriptedProbes();
    feed = new ChangeFeed(registry, options);
    const tracker = new InstanceTracker(options, feed);
    prober = new HealthProber(registry, feed, tracker, probes as unknown as HttpProbeClient, options);
    prober.onModuleInit();
    feed.apply({ type: 'snapshot', index: 0, instances: [] });
  });

  afterEach(() => {
    prober.onModuleDestroy();
    jest.useRealTimers();
  });

  function register(instance: ServiceInstance, index: number): void {
    registry.known.add(instance.serviceId);
    feed.apply({ type: 'register', index, instance });
  }

  describe('observe', () => {
    it('probes a new registration at once, then every interval, each pass renewing the TTL as Healthy', async () => {
      register(probed('a'), 1);
      await jest.advanceTimersByTimeAsync(0);
      expect(probes.urls).toEqual(['http://10.0.0.9:8080/health']);
      await jest.advanceTimersByTimeAsync(20_000);
      expect(probes.urls).toHaveLength(3);
      expect(registry.beats).toEqual([
        ['a', 'Healthy'],
        ['a', 'Healthy'],
        ['a', 'Healthy'],
      ]);
    });

    it('reports Unhealthy once after unhealthyThreshold consecutive failures, then stops renewing', async () => {
      probes.healthy = false;
      register(probed('a', 2), 1);
      await jest.advanceTimersByTimeAsync(0);
      expect(registry.beats).toEqual([]);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(registry.beats).toEqual([['a', 'Unhealthy']]);
      await jest.advanceTimersByTimeAsync(30_000);
      expect(registry.beats).toEqual([['a', 'Unhealthy']]);
      probes.healthy = true;
      await jest.advanceTimersByTimeAsync(10_000);
      expect(registry.beats.at(-1)).toEqual(['a', 'Healthy']);
    });

    it('stops probing an instance once it is deregistered', async () => {
      register(probed('a'), 1);
      await jest.advanceTimersByTimeAsync(0);
      feed.apply({ type: 'deregister', index: 2, reason: 'expired', instance: probed('a') });
      await jest.advanceTimersByTimeAsync(60_000);
      expect(probes.urls).toHaveLength(1);
      expect(prober.scheduled).toBe(0);
    });

    it('does not probe instances without a health check, nor more than maxInstances', async () => {
      register({ ...probed('plain'), healthCheck: undefined }, 1);
      register(probed('a'), 2);
      register(probed('b'), 3);
      register(probed('c'), 4);
      await jest.advanceTimersByTimeAsync(0);
      expect(prober.scheduled).toBe(2);
      expect(probes.urls).toHaveLength(2);
    });

    it('drops the job when the registry no longer knows the instance', async () => {
      register(probed('a'), 1);
      registry.known.delete('a');
      await jest.advanceTimersByTimeAsync(0);
      expect(prober.scheduled).toBe(0);
    });
  });

  describe('checkNow', () => {
    it('probes at once and shares a probe already in flight', async () => {
      const instance = probed('a', 1);
      registry.known.add('a');
      probes.healthy = false;
      const [first, second] = await Promise.all([prober.checkNow(instance), prober.checkNow(instance)]);
      expect(probes.urls).toHaveLength(1);
      expect(first).toEqual({
        healthy: false,
        output: 'HTTP 503',
        status: 'Unhealthy',
        consecutiveFailures: 1,
      });
      expect(second).toBe(first);
    });
  });

  describe('onModuleDestroy', () => {
    it('reports nothing for a probe cut short by shutdown', async () => {
      let finish!: (result: ProbeResult) => void;
      probes.probe = (url) => {
        probes.urls.push(url);
        return new Promise((resolve) => (finish = resolve));
      };
      register(probed('a', 1), 1);
      await jest.advanceTimersByTimeAsync(0);
      expect(probes.urls).toHaveLength(1);
      prober.onModuleDestroy();
      finish({ healthy: false, output: 'request failed: aborted' });
      await jest.advanceTimersByTimeAsync(0);
      expect(registry.beats).toEqual([]);
    });

    it('clears every timer', async () => {
      register(probed('a'), 1);
      register(probed('b'), 2);
      await jest.advanceTimersByTimeAsync(0);
      prober.onModuleDestroy();
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
