import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MeshConfigError } from '@toskamesh/common';
import { Counter, Registry } from 'prom-client';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';
import { CircuitOpenError } from './errors/circuit-open.error.js';
import { execute, type Call } from './interceptor.js';

const boom: Call<never> = async () => {
  throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' });
};

async function failTimes(registry: CircuitBreakerRegistry, target: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await execute(boom, [registry.breaker(target)]).catch(() => undefined);
}

async function valueOf(metrics: Registry, name: string, labels: Record<string, string>) {
  const metric = metrics.getSingleMetric(name);
  const { values } = await metric!.get();
  const match = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value;
}

describe(CircuitBreakerRegistry.name, () => {
  let metrics: Registry;
  let registries: CircuitBreakerRegistry[];
  const create = (options: ConstructorParameters<typeof CircuitBreakerRegistry>[0] = {}) => {
    const registry = new CircuitBreakerRegistry({ metricsRegistry: metrics, ...options });
    registries.push(registry);
    return registry;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    metrics = new Registry();
    registries = [];
  });
  afterEach(() => {
    for (const registry of registries) registry.shutdown();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  describe('get', () => {
    it('returns one breaker per target', () => {
      const registry = create();
      expect(registry.get('orders')).toBe(registry.get('orders'));
      expect(registry.get('orders')).not.toBe(registry.get('users'));
    });

    it('layers built-in defaults, registry defaults, per-target settings and call options', () => {
      const registry = create({
        defaults: { volumeThreshold: 5, resetTimeout: 2_000 },
        targets: { batch: { resetTimeout: 60_000 } },
      });
      expect(registry.get('orders').options).toMatchObject({ volumeThreshold: 5, resetTimeout: 2_000 });
      expect(registry.get('batch').options).toMatchObject({ volumeThreshold: 5, resetTimeout: 60_000 });
      expect(registry.get('x', { volumeThreshold: 7 }).options).toMatchObject({
        volumeThreshold: 7,
        errorThresholdPercentage: 50,
        rollingCountTimeout: 10_000,
      });
    });

    it('rejects bad options with a MeshConfigError naming the key', () => {
      expect(() => create({ defaults: { errorThresholdPercentage: 0 } })).toThrow(MeshConfigError);
      expect(() => create({ targets: { orders: { volumeThreshold: -1 } } })).toThrow(
        /circuitBreakers\.orders\.volumeThreshold/,
      );
      expect(() => create({ defaults: { rollingCountTimeout: 5, rollingCountBuckets: 10 } })).toThrow(
        /rollingCountBuckets/,
      );
      expect(() => create().get('y', { resetTimeout: 0 })).toThrow(/circuitBreakers\.y\.resetTimeout/);
    });
  });

  describe('breaker', () => {
    it('isolates targets: an open breaker does not refuse calls to another', async () => {
      const registry = create();
      await failTimes(registry, 'orders', 20);
      await expect(execute(boom, [registry.breaker('orders')])).rejects.toBeInstanceOf(CircuitOpenError);
      await expect(execute(async () => 'ok', [registry.breaker('users')])).resolves.toBe('ok');
    });
  });

  describe('metrics', () => {
    it('exports the state gauge and transition counter per target', async () => {
      const registry = create();
      registry.get('orders');
      const state = 'toskamesh_resilience_circuit_state';
      const transitions = 'toskamesh_resilience_circuit_transitions_total';
      expect(await valueOf(metrics, state, { target: 'orders' })).toBe(0);
      await failTimes(registry, 'orders', 20);
      expect(await valueOf(metrics, state, { target: 'orders' })).toBe(2);
      expect(await valueOf(metrics, transitions, { target: 'orders', to: 'open' })).toBe(1);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(await valueOf(metrics, state, { target: 'orders' })).toBe(1);
      await execute(async () => 'ok', [registry.breaker('orders')]);
      expect(await valueOf(metrics, state, { target: 'orders' })).toBe(0);
      expect(await valueOf(metrics, transitions, { target: 'orders', to: 'closed' })).toBe(1);
    });

    it('logs each transition, opening as a warning', async () => {
      const registry = create();
      await failTimes(registry, 'orders', 20);
      expect(Logger.prototype.warn).toHaveBeenCalledWith('Circuit breaker "orders": closed -> open');
    });

    it('lets two registries share one metrics registry without duplicate registration', async () => {
      const first = create();
      const second = create();
      await failTimes(first, 'a', 20);
      second.get('b');
      expect(await valueOf(metrics, 'toskamesh_resilience_circuit_state', { target: 'a' })).toBe(2);
      expect(await valueOf(metrics, 'toskamesh_resilience_circuit_state', { target: 'b' })).toBe(0);
    });

    it('refuses a metrics registry holding the name as another metric type', () => {
      new Counter({ name: 'toskamesh_resilience_circuit_state', help: 'x', registers: [metrics] });
      expect(() => create()).toThrow(/toskamesh_resilience_circuit_state/);
    });

    it('refuses a metrics registry holding the name with other labels', () => {
      new Counter({
        name: 'toskamesh_resilience_retries_total',
        help: 'x',
        labelNames: ['service'],
        registers: [metrics],
      });
      expect(() => create()).toThrow(/other labels/);
    });
  });

  describe('states', () => {
    it('lists every breaker sorted by target', async () => {
      const registry = create();
      registry.get('users');
      await failTimes(registry, 'orders', 20);
      expect(registry.states().map(({ target, state }) => ({ target, state }))).toEqual([
        { target: 'orders', state: 'open' },
        { target: 'users', state: 'closed' },
      ]);
    });
  });

  describe('remove', () => {
    it('forgets a target so the next call starts with a fresh closed breaker', async () => {
      const registry = create();
      await failTimes(registry, 'orders', 20);
      expect(registry.remove('orders')).toBe(true);
      expect(registry.remove('orders')).toBe(false);
      await expect(execute(async () => 'ok', [registry.breaker('orders')])).resolves.toBe('ok');
    });
  });

  describe('shutdown', () => {
    it('stops every breaker timer and lets later calls pass', async () => {
      const registry = create();
      await failTimes(registry, 'orders', 20);
      registry.get('users');
      expect(jest.getTimerCount()).toBeGreaterThan(0);
      registry.beforeApplicationShutdown();
      expect(jest.getTimerCount()).toBe(0);
      await expect(execute(async () => 'ok', [registry.breaker('orders')])).resolves.toBe('ok');
      await expect(execute(async () => 'ok', [registry.breaker('new')])).resolves.toBe('ok');
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('timers', () => {
    it('never holds the process open', async () => {
      jest.useRealTimers();
      const intervals = jest.spyOn(globalThis, 'setInterval');
      const timeouts = jest.spyOn(globalThis, 'setTimeout');
      const registry = create({ defaults: { resetTimeout: 60_000 } });
      await failTimes(registry, 'orders', 20);
      const timers = [...intervals.mock.results, ...timeouts.mock.results].map(
        (r) => r.value as NodeJS.Timeout,
      );
      expect(timers.length).toBeGreaterThanOrEqual(2);
      expect(timers.filter((t) => t.hasRef())).toEqual([]);
    });
  });
});
