import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthStatus } from '@toskamesh/common';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { DrainState } from '../lifecycle/drain-state.js';
import { resolveRuntimeOptions } from '../options/resolve-runtime-options.js';
import type { MeshRegistrationService } from '../registration/mesh-registration.service.js';
import { RegistryContact } from '../registration/registry-contact.js';
import { httpStatusOf } from './health-report.js';
import type { MeshHealthIndicator } from './mesh-health-indicator.js';
import { MeshHealthService } from './mesh-health.service.js';

const INTERVAL_MS = 1000;
const REGISTRY_TIMEOUT_MS = 200;

interface Harness {
  health: MeshHealthService;
  registry: MemoryServiceRegistry;
  drain: DrainState;
  contact: RegistryContact;
  statusProvider: () => Promise<HealthStatus>;
}

function harness(indicators: MeshHealthIndicator[] = []): Harness {
  const options = resolveRuntimeOptions({
    service: { name: 'orders' },
    registration: { healthIntervalMs: INTERVAL_MS },
    health: { indicators, registryTimeoutMs: REGISTRY_TIMEOUT_MS },
    env: {},
  });
  const registry = new MemoryServiceRegistry();
  const drain = new DrainState();
  const contact = new RegistryContact();
  let statusProvider: (() => Promise<HealthStatus>) | undefined;
  const registration = {
    state: 'registered',
    useStatusProvider: (provider: () => Promise<HealthStatus>) => (statusProvider = provider),
  } as unknown as MeshRegistrationService;
  const health = new MeshHealthService(
    options,
    new HealthIndicatorService(),
    drain,
    contact,
    registry,
    registration,
  );
  health.onApplicationBootstrap();
  return { health, registry, drain, contact, statusProvider: statusProvider! };
}

describe(MeshHealthService.name, () => {
  let current: Harness | undefined;

  function start(indicators?: MeshHealthIndicator[]): Harness {
    current = harness(indicators);
    return current;
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await current?.registry.close();
    current = undefined;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('report', () => {
    it('answers in the original shape with the built-in checks when all is well', async () => {
      const report = await start().health.report('all');
      expect(report.status).toBe('Healthy');
      expect(typeof report.duration).toBe('number');
      expect(report.checks.map((check) => [check.name, check.status])).toEqual([
        ['self', 'Healthy'],
        ['draining', 'Healthy'],
        ['registry', 'Healthy'],
      ]);
      expect(report.checks[0]).toEqual({
        name: 'self',
        status: 'Healthy',
        duration: expect.any(Number),
        description: 'Service is running',
        exception: null,
        data: {},
      });
      expect(report.checks[2]!.data).toEqual({ registration: 'registered' });
    });

    it('shows only live-tagged checks on live and only ready-tagged checks on ready', async () => {
      const { health } = start([
        { name: 'event-loop', tags: ['live'], check: (s) => s.up() },
        { name: 'db', tags: ['ready'], check: (s) => s.up() },
        { name: 'cache', check: (s) => s.up() },
      ]);
      const names = async (scope: 'all' | 'live' | 'ready') =>
        (await health.report(scope)).checks.map((check) => check.name);
      expect(await names('live')).toEqual(['event-loop']);
      expect(await names('ready')).toEqual(['draining', 'registry', 'db']);
      expect(await names('all')).toEqual(['self', 'draining', 'registry', 'event-loop', 'db', 'cache']);
    });

    it('is Healthy with no live checks at all', async () => {
      const report = await start().health.report('live');
      expect(report).toMatchObject({ status: 'Healthy', checks: [] });
      expect(httpStatusOf(report)).toBe(200);
    });

    it('maps degraded to Degraded, which still answers 200', async () => {
      const report = await start([
        { name: 'cache', tags: ['ready'], check: (s) => s.degraded({ message: 'cold', hitRate: 0.1 }) },
      ]).health.report('ready');
      expect(report.status).toBe('Degraded');
      expect(report.checks.at(-1)).toMatchObject({
        status: 'Degraded',
        description: 'cold',
        data: { hitRate: 0.1 },
      });
      expect(httpStatusOf(report)).toBe(200);
    });

    it('maps down to Unhealthy, which answers 503', async () => {
      const report = await start([
        { name: 'db', tags: ['ready'], check: (s) => s.down('no connection') },
      ]).health.report('ready');
      expect(report.status).toBe('Unhealthy');
      expect(report.checks.at(-1)).toMatchObject({ status: 'Unhealthy', description: 'no connection' });
      expect(httpStatusOf(report)).toBe(503);
    });

    it('reports a throwing check as Unhealthy with the exception, and still runs the others', async () => {
      const report = await start([
        {
          name: 'db',
          check: () => {
            throw new TypeError('pool closed');
          },
        },
        { name: 'cache', check: (s) => s.up() },
      ]).health.report('all');
      expect(report.status).toBe('Unhealthy');
      expect(report.checks.find((check) => check.name === 'db')).toEqual({
        name: 'db',
        status: 'Unhealthy',
        duration: expect.any(Number),
        description: null,
        exception: 'TypeError: pool closed',
        data: {},
      });
      expect(report.checks.find((check) => check.name === 'cache')?.status).toBe('Healthy');
    });

    it('reports a rejected attempt() as Unhealthy with its message', async () => {
      const report = await start([
        { name: 'db', check: (s) => s.attempt(() => Promise.reject(new Error('refused'))) },
      ]).health.report('all');
      expect(report.checks.at(-1)).toMatchObject({ status: 'Unhealthy', description: 'refused' });
    });

    it('turns ready Unhealthy (503) once draining began', async () => {
      const { health, drain } = start();
      drain.begin();
      const report = await health.report('ready');
      expect(report.status).toBe('Unhealthy');
      expect(httpStatusOf(report)).toBe(503);
      const draining = report.checks.find((check) => check.name === 'draining');
      expect(draining).toMatchObject({ status: 'Unhealthy', description: 'Service is shutting down' });
      expect(draining!.data.since).toBe(drain.since!.toISOString());
      expect((await health.report('live')).status).toBe('Healthy');
    });

    it('leaves out excluded checks', async () => {
      const report = await start().health.report('ready', ['registry']);
      expect(report.checks.map((check) => check.name)).toEqual(['draining']);
    });
  });

  describe('registry check', () => {
    it('is Degraded, never Unhealthy, when the registry cannot be reached', async () => {
      const { health, registry, contact } = start();
      jest.spyOn(registry, 'services').mockRejectedValue(new Error('connect ECONNREFUSED'));
      const report = await health.report('ready');
      expect(report.status).toBe('Degraded');
      expect(httpStatusOf(report)).toBe(200);
      expect(report.checks.find((check) => check.name === 'registry')).toMatchObject({
        status: 'Degraded',
        description: 'Registry unreachable: connect ECONNREFUSED',
      });
      expect(contact.last?.ok).toBe(false);
    });

    it('is Degraded after registryTimeoutMs when the registry hangs', async () => {
      jest.useFakeTimers();
      const { health, registry } = start();
      jest.spyOn(registry, 'services').mockReturnValue(new Promise(() => undefined));
      const pending = health.report('ready');
      await jest.advanceTimersByTimeAsync(REGISTRY_TIMEOUT_MS);
      expect((await pending).status).toBe('Degraded');
    });

    it('reuses a recent registry contact instead of calling the registry', async () => {
      const { health, registry, contact } = start();
      const services = jest.spyOn(registry, 'services');
      contact.failed(new Error('heartbeat timed out'));
      const report = await health.report('ready');
      expect(services).not.toHaveBeenCalled();
      expect(report.checks.at(-1)).toMatchObject({
        status: 'Degraded',
        description: 'Registry unreachable: heartbeat timed out',
      });
    });

    it('asks the registry again once the last contact is older than 3 x the health interval', async () => {
      jest.useFakeTimers();
      const { health, registry, contact } = start();
      contact.failed(new Error('old failure'));
      jest.advanceTimersByTime(3 * INTERVAL_MS);
      const services = jest.spyOn(registry, 'services');
      const report = await health.report('ready');
      expect(services).toHaveBeenCalledTimes(1);
      expect(report.status).toBe('Healthy');
      expect(contact.last?.ok).toBe(true);
    });
  });

  describe('onApplicationBootstrap', () => {
    it('makes heartbeats report readiness without the registry check', async () => {
      const { registry, statusProvider } = start([
        { name: 'cache', tags: ['ready'], check: (s) => s.degraded() },
      ]);
      const services = jest.spyOn(registry, 'services').mockRejectedValue(new Error('down'));
      expect(await statusProvider()).toBe('Degraded');
      expect(services).not.toHaveBeenCalled();
    });

    it('makes heartbeats report Unhealthy while draining', async () => {
      const { drain, statusProvider } = start();
      drain.begin();
      expect(await statusProvider()).toBe('Unhealthy');
    });
  });
});
