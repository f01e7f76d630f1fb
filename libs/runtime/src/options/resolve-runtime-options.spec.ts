import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import type { MeshRuntimeModuleOptions } from './mesh-runtime-options.js';
import { resolveRuntimeOptions } from './resolve-runtime-options.js';

const SECRET = 'unit-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** Resolves with an explicit (empty unless given) environment so the machine's variables never leak in. */
function resolve(options: MeshRuntimeModuleOptions = {}, env: Record<string, string> = {}) {
  return resolveRuntimeOptions({ ...options, env });
}

function configErrorOf(run: () => unknown): MeshConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MeshConfigError);
    return error as MeshConfigError;
  }
  throw new Error('expected a MeshConfigError');
}

describe(resolveRuntimeOptions.name, () => {
  describe('defaults', () => {
    it('fills the .NET original Mesh:Service defaults when nothing is configured', () => {
      const resolved = resolve();
      expect(resolved.service).toMatchObject({
        name: 'mesh-service',
        address: '0.0.0.0',
        port: 8080,
        scheme: 'http',
        tags: [],
        routing: { strategy: 'RoundRobin', weight: 1, healthCheckEndpoint: '/health/ready' },
      });
      expect(resolved.service.advertisedAddress).toBeUndefined();
      expect(resolved.registration).toEqual({
        enabled: true,
        heartbeat: true,
        healthIntervalMs: 30_000,
        healthTimeoutMs: 5000,
        unhealthyThreshold: 3,
        activeHealthCheck: true,
        retry: { initialMs: 500, maxMs: 15_000 },
        callTimeoutMs: 5000,
        drainDelayMs: 0,
      });
      expect(resolved.registry).toEqual({ provider: 'memory' });
      expect(resolved.auth).toMatchObject({
        enabled: true,
        issuer: 'ToskaMesh.Services',
        audience: 'ToskaMesh.Services',
        roles: [],
      });
      expect(resolved.auth.secret).toBeUndefined();
      expect(resolved.metrics).toEqual({ enabled: true, path: '/metrics' });
      expect(resolved.client).toEqual({ timeoutMs: 10_000, retries: 2 });
    });

    it('writes the routing keys into metadata with their defaults', () => {
      expect(resolve().service.metadata).toEqual({
        scheme: 'http',
        health_check_endpoint: '/health/ready',
        lb_strategy: 'RoundRobin',
        weight: '1',
      });
    });

    it('derives the id as <name>-<32 hex> when none is given', () => {
      const { service } = resolve({ service: { name: 'orders' } });
      expect(service.id).toMatch(/^orders-[0-9a-f]{32}$/);
    });
  });

  describe('environment over code', () => {
    it('lets Mesh__Service__Port override the port set in code', () => {
      const resolved = resolve({ service: { port: 9000 } }, { Mesh__Service__Port: '7001' });
      expect(resolved.service.port).toBe(7001);
    });

    it('lets the environment set the bind and advertised addresses', () => {
      const resolved = resolve(
        { service: { address: '127.0.0.1', advertisedAddress: 'code.internal' } },
        { Mesh__Service__Address: '0.0.0.0', Mesh__Service__AdvertisedAddress: 'pod-7.orders' },
      );
      expect(resolved.service).toMatchObject({ address: '0.0.0.0', advertisedAddress: 'pod-7.orders' });
    });

    it('keeps the code value when the environment does not set the key', () => {
      expect(resolve({ service: { port: 9000 } }).service.port).toBe(9000);
    });

    it('lets Mesh__Service__Routing__Strategy override the strategy and writes it to lb_strategy', () => {
      const resolved = resolve(
        { service: { routing: { strategy: 'Random' } } },
        { Mesh__Service__Routing__Strategy: 'LeastConnections' },
      );
      expect(resolved.service.routing.strategy).toBe('LeastConnections');
      expect(resolved.service.metadata.lb_strategy).toBe('LeastConnections');
    });

    it('matches variable names case-insensitively', () => {
      const resolved = resolve({}, { MESH__SERVICE__SERVICENAME: 'billing' });
      expect(resolved.service.name).toBe('billing');
    });

    it('selects the discovery registry from Mesh__Registry__Provider and its URL', () => {
      const resolved = resolve(
        { registry: { provider: 'memory' } },
        { Mesh__Registry__Provider: 'Discovery', Mesh__Registry__Discovery__Url: 'http://127.0.0.1:5010' },
      );
      expect(resolved.registry.provider).toBe('discovery');
      expect(resolved.registry.discovery).toMatchObject({ url: 'http://127.0.0.1:5010', transport: 'http' });
    });

    it('keeps discovery settings given in code when the environment only sets the URL', () => {
      const resolved = resolve(
        { registry: { provider: 'discovery', discovery: { url: 'http://code:1', timeoutMs: 1234 } } },
        { Mesh__Registry__Discovery__Url: 'http://env:2' },
      );
      expect(resolved.registry.discovery).toMatchObject({ url: 'http://env:2', timeoutMs: 1234 });
    });

    it('passes a registry instance given in code through untouched', () => {
      const registry = new MemoryServiceRegistry();
      try {
        expect(resolve({ registry: { provider: registry } }).registry.provider).toBe(registry);
      } finally {
        void registry.close();
      }
    });

    it('reads the service auth secret from MESH_SERVICE_AUTH_SECRET over the code value', () => {
      const resolved = resolve({ auth: { secret: 'code-secret' } }, { MESH_SERVICE_AUTH_SECRET: SECRET });
      expect(resolved.auth.secret).toBe(SECRET);
    });

    it('reads the health interval as a .NET TimeSpan', () => {
      const resolved = resolve(
        { registration: { healthIntervalMs: 1000 } },
        { Mesh__Service__HealthInterval: '00:00:10' },
      );
      expect(resolved.registration.healthIntervalMs).toBe(10_000);
    });

    it('reads HeartbeatEnabled and RegisterAutomatically from the environment', () => {
      const resolved = resolve(
        { registration: { heartbeat: true, enabled: true } },
        { Mesh__Service__HeartbeatEnabled: 'false', Mesh__Service__RegisterAutomatically: 'false' },
      );
      expect(resolved.registration).toMatchObject({ heartbeat: false, enabled: false });
    });

    it('reads EnableAuth, the log level and the OTLP endpoint from the environment', () => {
      const resolved = resolve(
        { auth: { enabled: true }, logging: { level: 'debug' } },
        {
          Mesh__Service__EnableAuth: 'false',
          LOG_LEVEL: 'warn',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        },
      );
      expect(resolved.auth.enabled).toBe(false);
      expect(resolved.logging.level).toBe('warn');
      expect(resolved.tracing).toMatchObject({ enabled: true, otlpEndpoint: 'http://127.0.0.1:4318' });
    });

    it('keeps tracing off without an OTLP endpoint', () => {
      expect(resolve().tracing.enabled).toBe(false);
    });

    it('rejects a malformed variable naming it', () => {
      const error = configErrorOf(() => resolve({}, { Mesh__Service__Port: 'eighty' }));
      expect(error.message).toContain('Mesh__Service__Port');
    });
  });

  describe('metadata', () => {
    it('lets the routing keys win over user metadata with the same names', () => {
      const { metadata } = resolve({
        service: {
          metadata: { lb_strategy: 'Random', weight: '9', scheme: 'ftp', team: 'core' },
          routing: { strategy: 'ConsistentHash', weight: 4 },
        },
      }).service;
      expect(metadata).toMatchObject({ lb_strategy: 'ConsistentHash', weight: '4', scheme: 'http' });
      expect(metadata.team).toBe('core');
    });

    it('merges environment metadata over code metadata', () => {
      const { metadata } = resolve(
        { service: { metadata: { team: 'core', zone: 'a' } } },
        { Mesh__Service__Metadata__zone: 'b' },
      ).service;
      expect(metadata).toMatchObject({ team: 'core', zone: 'b' });
    });

    // Regression: env keys are lower-cased by the env tree, so `Mesh__Service__Metadata__Zone` sat beside a
    // code key `Zone` instead of replacing it, and a user `LB_Strategy` survived next to `lb_strategy`; the
    // original's metadata dictionary is case-insensitive.
    it('compares metadata keys case-insensitively, so env and routing keys replace differently cased ones', () => {
      const { metadata } = resolve(
        { service: { metadata: { Zone: 'a', LB_Strategy: 'Random' } } },
        { Mesh__Service__Metadata__Zone: 'b' },
      ).service;
      const keys = Object.keys(metadata).map((key) => key.toLowerCase());
      expect(new Set(keys).size).toBe(keys.length);
      expect(metadata.zone).toBe('b');
      expect(metadata.lb_strategy).toBe('RoundRobin');
    });

    it('leaves weight out of metadata when the routing weight is 0', () => {
      const { metadata } = resolve({ service: { routing: { weight: 0 } } }).service;
      expect(metadata).not.toHaveProperty('weight');
    });
  });

  describe('nothing set in code is dropped', () => {
    it('keeps advertisedAddress, routing and heartbeat from code (the original lost them)', () => {
      const resolved = resolve({
        service: {
          advertisedAddress: 'orders.internal',
          routing: { strategy: 'WeightedRoundRobin', weight: 3, healthCheckEndpoint: '/ready' },
        },
        registration: { heartbeat: false, healthIntervalMs: 2000, unhealthyThreshold: 5 },
      });
      expect(resolved.service.advertisedAddress).toBe('orders.internal');
      expect(resolved.service.routing).toEqual({
        strategy: 'WeightedRoundRobin',
        weight: 3,
        healthCheckEndpoint: '/ready',
      });
      expect(resolved.service.metadata).toMatchObject({ health_check_endpoint: '/ready', weight: '3' });
      expect(resolved.registration).toMatchObject({
        heartbeat: false,
        healthIntervalMs: 2000,
        unhealthyThreshold: 5,
      });
    });
  });

  describe('service id', () => {
    it('derives the id from the final (environment) name, not the code name', () => {
      const { service } = resolve({ service: { name: 'from-code' } }, { Mesh__Service__Name: 'from-env' });
      expect(service.name).toBe('from-env');
      expect(service.id).toMatch(/^from-env-[0-9a-f]{32}$/);
    });

    it('keeps an explicit id', () => {
      expect(resolve({ service: { id: 'orders-1' } }).service.id).toBe('orders-1');
    });
  });

  describe('validation', () => {
    it.each([
      ['service.name', { service: { name: 'has space' } }],
      ['service.name', { service: { name: '' } }],
      ['service.port', { service: { port: 70_000 } }],
      ['service.port', { service: { port: -1 } }],
      ['service.port', { service: { port: 1.5 } }],
      ['service.advertisedAddress', { service: { advertisedAddress: 'not a host!' } }],
      ['service.routing.healthCheckEndpoint', { service: { routing: { healthCheckEndpoint: 'health' } } }],
      ['registration.healthIntervalMs', { registration: { healthIntervalMs: 0 } }],
      ['registration.healthTimeoutMs', { registration: { healthTimeoutMs: -5 } }],
      ['registration.callTimeoutMs', { registration: { callTimeoutMs: 0 } }],
      ['registration.unhealthyThreshold', { registration: { unhealthyThreshold: 0 } }],
    ] as const)('throws MeshConfigError naming %s', (key, options) => {
      const error = configErrorOf(() => resolve(options as MeshRuntimeModuleOptions));
      expect(error.key).toBe(key);
      expect(error.code).toBe('MESH_COMMON_CONFIG_INVALID');
    });

    // Regression: these passed start-up and then every registration attempt failed with a
    // MeshValidationError, retried forever while the service ran unregistered.
    it('rejects a service id the registry would refuse', () => {
      expect(configErrorOf(() => resolve({ service: { id: 'orders/1' } })).key).toBe('service.id');
    });

    it('rejects metadata beyond the registry limits', () => {
      const metadata = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`key${i}`, 'v']));
      expect(configErrorOf(() => resolve({ service: { metadata } })).key).toBe('service.metadata');
    });

    // Regression: `Routing__Scheme=HTTPS` gave scheme 'http' with metadata scheme 'HTTPS', and 'ftp' was accepted.
    it('normalizes the scheme to lower case in both the instance and metadata', () => {
      const { service } = resolve({}, { Mesh__Service__Routing__Scheme: 'HTTPS' });
      expect(service.scheme).toBe('https');
      expect(service.metadata.scheme).toBe('https');
    });

    it('rejects a scheme other than http or https', () => {
      expect(configErrorOf(() => resolve({}, { Mesh__Service__Routing__Scheme: 'ftp' })).key).toBe(
        'service.scheme',
      );
    });

    it('accepts port 0 (ephemeral)', () => {
      expect(resolve({ service: { port: 0 } }).service.port).toBe(0);
    });
  });
});
