import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { FlakyRegistry } from '../../test/fixtures/flaky.registry.js';
import { DrainState } from '../lifecycle/drain-state.js';
import type { MeshRuntimeModuleOptions } from '../options/mesh-runtime-options.js';
import { resolveRuntimeOptions } from '../options/resolve-runtime-options.js';
import { MeshRegistrationService } from './mesh-registration.service.js';
import { RegistryContact } from './registry-contact.js';

/** Stands in for the HTTP server HttpAdapterHost hands out: `listening`, `address()` and the event. */
class FakeServer extends EventEmitter {
  listening = false;

  address(): AddressInfo {
    return { address: '127.0.0.1', port: 43_210, family: 'IPv4' };
  }

  listen(): void {
    this.listening = true;
    this.emit('listening');
  }
}

const INTERVAL_MS = 1000;
const PERIOD_MS = 800; // heartbeatPeriodMs(1000)
const CALL_TIMEOUT_MS = 300;

interface Harness {
  service: MeshRegistrationService;
  registry: FlakyRegistry;
  server: FakeServer;
  drain: DrainState;
  contact: RegistryContact;
}

function harness(options: MeshRuntimeModuleOptions = {}, withServer = true): Harness {
  const resolved = resolveRuntimeOptions({
    service: { name: 'orders', id: 'orders-1' },
    ...options,
    registration: {
      healthIntervalMs: INTERVAL_MS,
      callTimeoutMs: CALL_TIMEOUT_MS,
      retry: { initialMs: 100, maxMs: 1000 },
      ...options.registration,
    },
    env: {},
  });
  const registry = new FlakyRegistry();
  const server = new FakeServer();
  const adapterHost = {
    httpAdapter: withServer ? { getHttpServer: () => server } : undefined,
  } as unknown as HttpAdapterHost;
  const drain = new DrainState();
  const contact = new RegistryContact();
  const service = new MeshRegistrationService(resolved, registry, adapterHost, drain, contact);
  return { service, registry, server, drain, contact };
}

/** Lets pending promise chains run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe(MeshRegistrationService.name, () => {
  let warn: jest.Spied<typeof Logger.prototype.warn>;
  let current: Harness | undefined;

  beforeEach(() => {
    jest.useFakeTimers();
    // Back-off uses full jitter; the top of the range keeps the schedule predictable.
    jest.spyOn(Math, 'random').mockReturnValue(1);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await current?.registry.close();
    current = undefined;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function start(options?: MeshRuntimeModuleOptions, withServer?: boolean): Harness {
    current = harness(options, withServer);
    current.service.onApplicationBootstrap();
    return current;
  }

  describe('onApplicationBootstrap', () => {
    it('registers only once the server emits listening, with the address and port listened on', async () => {
      const { service, registry, server } = start();
      await jest.advanceTimersByTimeAsync(5000);
      expect(registry.count('register')).toBe(0);
      expect(service.state).toBe('waiting-for-listen');

      server.listen();
      await settle();

      expect(service.state).toBe('registered');
      const stored = await registry.instance('orders-1');
      expect(stored).toMatchObject({ serviceName: 'orders', address: '127.0.0.1', port: 43_210 });
      expect(service.instance?.serviceId).toBe('orders-1');
    });

    it('registers at once when the server already listens', async () => {
      current = harness();
      current.server.listening = true;
      current.service.onApplicationBootstrap();
      await settle();
      expect(current.registry.count('register')).toBe(1);
    });

    it('marks the instance Healthy with an immediate heartbeat (a health-checked instance starts Unknown)', async () => {
      const { registry, server } = start();
      server.listen();
      await settle();
      expect(registry.calls.map((call) => call.operation)).toEqual(['register', 'heartbeat']);
      expect((await registry.instance('orders-1'))?.status).toBe('Healthy');
    });

    it('advertises the configured address instead of the bound one', async () => {
      const { registry, server } = start({
        service: { name: 'orders', id: 'orders-1', advertisedAddress: 'orders.svc' },
      });
      server.listen();
      await settle();
      expect((await registry.instance('orders-1'))?.address).toBe('orders.svc');
    });

    it('registers nothing when registration is disabled', async () => {
      const { service, registry, server } = start({ registration: { enabled: false } });
      server.listen();
      await jest.advanceTimersByTimeAsync(5000);
      expect(registry.calls).toEqual([]);
      expect(service.state).toBe('disabled');
    });

    it('warns and registers nothing without an HTTP server', async () => {
      const { service, registry } = start({}, false);
      await jest.advanceTimersByTimeAsync(1000);
      expect(registry.calls).toEqual([]);
      expect(service.state).toBe('disabled');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('No HTTP server'));
    });
  });

  describe('registration retries', () => {
    it('retries with growing back-off while the registry is down, logging each failure, then registers', async () => {
      const { service, registry, server, contact } = start();
      registry.failRegisters = 3;
      server.listen();
      await settle();
      expect(registry.count('register')).toBe(1);
      expect(service.state).toBe('registering');
      expect(contact.last?.ok).toBe(false);

      // Back-off 100, 200, 400 ms (initialMs 100, doubling, jitter at its top).
      await jest.advanceTimersByTimeAsync(99);
      expect(registry.count('register')).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(registry.count('register')).toBe(2);
      await jest.advanceTimersByTimeAsync(200);
      expect(registry.count('register')).toBe(3);
      await jest.advanceTimersByTimeAsync(400);
      expect(registry.count('register')).toBe(4);

      expect(service.state).toBe('registered');
      expect(await registry.instance('orders-1')).toBeDefined();
      expect(contact.last?.ok).toBe(true);
      const failures = warn.mock.calls.filter(([message]) => String(message).includes('Registration of'));
      expect(failures).toHaveLength(3);
      expect(String(failures[0]![0])).toContain('still serving');
    });

    it('caps the back-off at retry.maxMs', async () => {
      const { registry, server } = start();
      registry.failRegisters = 100;
      server.listen();
      await settle();
      await jest.advanceTimersByTimeAsync(100 + 200 + 400 + 800); // 5 attempts so far
      const before = registry.count('register');
      await jest.advanceTimersByTimeAsync(3000); // then one every 1000 ms
      expect(registry.count('register') - before).toBe(3);
    });

    it('gives up a register call that hangs after callTimeoutMs and tries again', async () => {
      const { registry, server } = start();
      const release = registry.holdRegisters();
      server.listen();
      await jest.advanceTimersByTimeAsync(CALL_TIMEOUT_MS + 100);
      expect(registry.count('register')).toBe(2);
      release();
      await jest.advanceTimersByTimeAsync(1000);
      expect(await registry.instance('orders-1')).toBeDefined();
    });
  });

  describe('heartbeats', () => {
    async function registered(options?: MeshRuntimeModuleOptions): Promise<Harness> {
      const h = start(options);
      h.server.listen();
      await settle();
      return h;
    }

    it('beats every heartbeat period with the status the provider computes', async () => {
      const { service, registry } = await registered();
      service.useStatusProvider(() => Promise.resolve('Degraded'));
      expect(registry.count('heartbeat')).toBe(1);
      await jest.advanceTimersByTimeAsync(PERIOD_MS - 1);
      expect(registry.count('heartbeat')).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(registry.count('heartbeat')).toBe(2);
      await jest.advanceTimersByTimeAsync(PERIOD_MS * 3);
      expect(registry.count('heartbeat')).toBe(5);
      expect(registry.calls.at(-1)).toEqual({
        operation: 'heartbeat',
        serviceId: 'orders-1',
        status: 'Degraded',
      });
    });

    it('keeps the instance alive well past its TTL', async () => {
      const { registry } = await registered();
      await jest.advanceTimersByTimeAsync(10 * 3 * INTERVAL_MS);
      expect(await registry.instance('orders-1')).toBeDefined();
    });

    it('sends no periodic heartbeats when heartbeats are disabled', async () => {
      const { registry } = await registered({ registration: { heartbeat: false } });
      const after = registry.count('heartbeat');
      await jest.advanceTimersByTimeAsync(PERIOD_MS * 5);
      expect(registry.count('heartbeat')).toBe(after);
    });

    it('keeps beating after a heartbeat fails with a transient error', async () => {
      const { registry } = await registered();
      registry.failHeartbeats = 1;
      await jest.advanceTimersByTimeAsync(PERIOD_MS);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Heartbeat for orders-1 failed'));
      await jest.advanceTimersByTimeAsync(PERIOD_MS);
      expect(registry.count('heartbeat')).toBe(3);
      expect(registry.count('register')).toBe(1);
    });

    it('registers again when a heartbeat is rejected with ServiceNotRegisteredError', async () => {
      const { service, registry } = await registered();
      await registry.forgetAll();
      expect(await registry.instance('orders-1')).toBeUndefined();
      await jest.advanceTimersByTimeAsync(PERIOD_MS);
      expect(registry.count('register')).toBe(2);
      expect(service.state).toBe('registered');
      expect((await registry.instance('orders-1'))?.status).toBe('Healthy');
      await jest.advanceTimersByTimeAsync(PERIOD_MS);
      expect(registry.calls.at(-1)?.operation).toBe('heartbeat');
    });

    it('re-registers after its TTL lapsed during a heartbeat outage', async () => {
      const { registry } = await registered();
      registry.failHeartbeats = 4; // 4 x 800 ms > TTL of 3000 ms
      await jest.advanceTimersByTimeAsync(PERIOD_MS * 4);
      expect(await registry.instance('orders-1')).toBeUndefined();
      await jest.advanceTimersByTimeAsync(PERIOD_MS);
      expect(registry.count('register')).toBe(2);
      expect(await registry.instance('orders-1')).toBeDefined();
    });

    it('reports Unhealthy while draining', async () => {
      const { registry, drain, service } = await registered();
      service.useStatusProvider(() => Promise.resolve('Healthy'));
      drain.begin();
      await jest.advanceTimersByTimeAsync(PERIOD_MS);
      expect(registry.calls.at(-1)).toMatchObject({ operation: 'heartbeat', status: 'Unhealthy' });
    });

    // Regression: a status provider (a user health check) that never settled stalled the heartbeat loop
    // for good, so the instance expired from the registry while the service was running.
    it('keeps beating when computing the status hangs, reporting Unhealthy', async () => {
      const { registry, service } = await registered();
      service.useStatusProvider(() => new Promise(() => undefined));
      await jest.advanceTimersByTimeAsync(PERIOD_MS + CALL_TIMEOUT_MS);
      expect(registry.calls.at(-1)).toMatchObject({ operation: 'heartbeat', status: 'Unhealthy' });
      await jest.advanceTimersByTimeAsync(PERIOD_MS + CALL_TIMEOUT_MS);
      expect(registry.count('heartbeat')).toBe(3);
    });
  });

  describe('onModuleDestroy', () => {
    async function registered(): Promise<Harness> {
      const h = start();
      h.server.listen();
      await settle();
      return h;
    }

    it('starts the drain, deregisters and stops heartbeats', async () => {
      const { service, registry, drain } = await registered();
      await service.onModuleDestroy();
      expect(drain.draining).toBe(true);
      expect(service.state).toBe('deregistered');
      expect(await registry.instance('orders-1')).toBeUndefined();
      const beats = registry.count('heartbeat');
      await jest.advanceTimersByTimeAsync(PERIOD_MS * 5);
      expect(registry.count('heartbeat')).toBe(beats);
      expect(registry.count('register')).toBe(1);
    });

    it('gives up a hanging deregistration after callTimeoutMs without throwing', async () => {
      const { service, registry } = await registered();
      jest.spyOn(registry, 'deregister').mockReturnValue(new Promise(() => undefined));
      const done = service.onModuleDestroy();
      await jest.advanceTimersByTimeAsync(CALL_TIMEOUT_MS);
      await expect(done).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Could not deregister orders-1'));
    });

    it('does not throw when deregistration fails', async () => {
      const { service, registry } = await registered();
      jest.spyOn(registry, 'deregister').mockRejectedValue(new Error('registry down'));
      await expect(service.onModuleDestroy()).resolves.toBeUndefined();
    });

    it('stops retrying a registration that keeps failing', async () => {
      const { service, registry, server } = start();
      registry.failRegisters = 100;
      server.listen();
      await settle();
      await service.onModuleDestroy();
      const attempts = registry.count('register');
      await jest.advanceTimersByTimeAsync(20_000);
      expect(registry.count('register')).toBe(attempts);
      expect(registry.count('deregister')).toBe(0);
    });

    // Regression: a registration still in flight when shutdown began landed afterwards and stayed in
    // the registry (until its TTL) although the service was gone.
    it('removes a registration that lands while shutting down', async () => {
      const { service, registry, server } = start();
      const release = registry.holdRegisters();
      server.listen();
      await settle();
      const done = service.onModuleDestroy();
      release();
      await jest.advanceTimersByTimeAsync(CALL_TIMEOUT_MS);
      await done;
      await jest.advanceTimersByTimeAsync(1000);
      expect(await registry.instance('orders-1')).toBeUndefined();
      expect(registry.count('heartbeat')).toBe(0);
    });

    it('does nothing to the registry when nothing was registered', async () => {
      const { service, registry } = start({ registration: { enabled: false } });
      await service.onModuleDestroy();
      expect(registry.calls).toEqual([]);
    });
  });

  describe('beforeApplicationShutdown', () => {
    it('keeps serving drainDelayMs after deregistering', async () => {
      const { service, server } = start({ registration: { drainDelayMs: 500 } });
      server.listen();
      await settle();
      await service.onModuleDestroy();
      let finished = false;
      const done = service.beforeApplicationShutdown().then(() => (finished = true));
      await jest.advanceTimersByTimeAsync(499);
      expect(finished).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await done;
      expect(finished).toBe(true);
    });
  });
});
