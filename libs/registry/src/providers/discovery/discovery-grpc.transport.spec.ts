import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  Server,
  ServerCredentials,
  loadPackageDefinition,
  status,
  type ServiceClientConstructor,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { MeshValidationError } from '@toskamesh/common';
import { DISCOVERY_PROTO_PATH } from '../../discovery-proto.js';
import { RegistryAccessDeniedError } from '../../errors/registry-access-denied.error.js';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import { DiscoveryServiceRegistry } from './discovery.registry.js';

type Message = Record<string, unknown>;
type Unary = (
  call: { request: Message; metadata: { get(key: string): unknown[] } },
  done: (error: unknown, reply?: Message) => void,
) => void;

const timestamp = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const protoInstance = (serviceId: string, extra: Message = {}): Message => ({
  serviceName: 'orders',
  serviceId,
  address: '10.0.0.1',
  port: 80,
  status: 'HEALTH_STATUS_HEALTHY',
  metadata: {},
  registeredAt: timestamp('2025-01-01T00:00:00Z'),
  lastHealthCheck: null,
  ...extra,
});
const fail = (code: number, details: string) => Object.assign(new Error(details), { code, details });

describe('DiscoveryServiceRegistry over gRPC', () => {
  const service = (
    loadPackageDefinition(
      loadSync(DISCOVERY_PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true }),
    ) as unknown as {
      toskamesh: { discovery: { DiscoveryRegistry: ServiceClientConstructor } };
    }
  ).toskamesh.discovery.DiscoveryRegistry.service;
  const calls: { method: string; request: Message; authorization: unknown }[] = [];
  let handlers: Record<string, Unary | ((call: never) => void)> = {};
  let server: Server;
  let port: number;
  const registries: DiscoveryServiceRegistry[] = [];
  const create = (overrides: { url?: string; timeoutMs?: number } = {}) => {
    const registry = new DiscoveryServiceRegistry({
      url: `127.0.0.1:${port}`,
      transport: 'grpc',
      authToken: async () => 'grpc-tok',
      ...overrides,
    });
    registries.push(registry);
    return registry;
  };

  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

  beforeAll(async () => {
    server = new Server();
    const implementation: UntypedServiceImplementation = {};
    for (const method of Object.keys(service)) {
      implementation[method] = (
        call: { request: Message; metadata: { get(key: string): unknown[] } },
        done?: unknown,
      ) => {
        calls.push({ method, request: call.request, authorization: call.metadata.get('authorization')[0] });
        const handler = handlers[method];
        if (!handler) {
          (done as (error: unknown) => void)(fail(status.UNIMPLEMENTED, `${method} not implemented`));
          return;
        }
        (handler as (call: unknown, done: unknown) => void)(call, done);
      };
    }
    server.addService(service, implementation);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  });
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((registry) => registry.close()));
    calls.length = 0;
    handlers = {};
  });
  afterAll(() => {
    warn.mockRestore();
    server.forceShutdown();
  });

  describe('register', () => {
    it('sends whole-second intervals with the bearer metadata and returns the listed instance', async () => {
      handlers = {
        Register: (call, done) =>
          done(null, { success: true, serviceId: call.request['serviceId'], errorMessage: '' }),
        GetInstances: (_, done) =>
          done(null, {
            instances: [
              protoInstance('orders-1', {
                status: 'HEALTH_STATUS_UNKNOWN',
                lastHealthCheck: timestamp('2025-01-01T00:00:05Z'),
              }),
            ],
          }),
      };
      const instance = await create({ url: `http://127.0.0.1:${port}` }).register({
        serviceName: 'orders',
        serviceId: 'orders-1',
        address: '10.0.0.1',
        port: 80,
        healthCheck: { endpoint: '/health', intervalMs: 2500, timeoutMs: 400, unhealthyThreshold: 2 },
      });
      expect(calls[0]).toMatchObject({ method: 'Register', authorization: 'Bearer grpc-tok' });
      expect(calls[0]!.request['healthCheck']).toEqual({
        endpoint: '/health',
        intervalSeconds: 3,
        timeoutSeconds: 1,
        unhealthyThreshold: 2,
      });
      expect(instance).toMatchObject({
        serviceId: 'orders-1',
        status: 'Unknown',
        lastHeartbeatAt: new Date('2025-01-01T00:00:05Z'),
      });
      expect(instance.registeredAt).toEqual(new Date('2025-01-01T00:00:00Z'));
    });

    it('maps success: false and INVALID_ARGUMENT to MeshValidationError', async () => {
      handlers = {
        Register: (_, done) => done(null, { success: false, serviceId: '', errorMessage: 'port taken' }),
      };
      const registration = { serviceName: 'orders', address: 'h', port: 1 };
      await expect(create().register(registration)).rejects.toMatchObject({ errors: ['port taken'] });
      handlers = { Register: (_, done) => done(fail(status.INVALID_ARGUMENT, 'bad address')) };
      await expect(create().register(registration)).rejects.toThrow(MeshValidationError);
    });
  });

  describe('heartbeat', () => {
    it('throws ServiceNotRegisteredError on NOT_FOUND', async () => {
      handlers = { Heartbeat: (_, done) => done(fail(status.NOT_FOUND, 'unknown id')) };
      await expect(create().heartbeat('x-1')).rejects.toThrow(ServiceNotRegisteredError);
    });

    it('reports the status as the proto enum, then renews', async () => {
      handlers = {
        ReportHealth: (_, done) => done(null, { success: true }),
        Heartbeat: (_, done) => done(null, { success: true }),
      };
      await create().heartbeat('x-1', 'Degraded');
      expect(calls.map((call) => [call.method, call.request['status'] ?? null])).toEqual([
        ['ReportHealth', 'HEALTH_STATUS_DEGRADED'],
        ['Heartbeat', null],
      ]);
    });
  });

  describe('deregister', () => {
    it('returns removed, and false on NOT_FOUND', async () => {
      handlers = {
        Deregister: (call, done) =>
          call.request['serviceId'] === 'a'
            ? done(null, { removed: true })
            : done(fail(status.NOT_FOUND, 'no')),
      };
      const registry = create();
      await expect(registry.deregister('a')).resolves.toBe(true);
      await expect(registry.deregister('b')).resolves.toBe(false);
    });
  });

  describe('instances', () => {
    it('filters Healthy instances client-side and sorts by serviceId', async () => {
      handlers = {
        GetInstances: (_, done) =>
          done(null, {
            instances: [
              protoInstance('c'),
              protoInstance('b', { status: 'HEALTH_STATUS_UNHEALTHY' }),
              protoInstance('a'),
            ],
          }),
      };
      const healthy = await create().instances('orders', { healthyOnly: true });
      expect(healthy.map((instance) => instance.serviceId)).toEqual(['a', 'c']);
    });
  });

  describe('instance and updateMetadata', () => {
    it('use GetInstance and UpdateMetadata when the server has them', async () => {
      handlers = {
        GetInstance: (call, done) =>
          call.request['serviceId'] === 'a'
            ? done(null, { instance: protoInstance('a') })
            : done(fail(status.NOT_FOUND, 'no')),
        UpdateMetadata: (call, done) =>
          done(null, { instance: protoInstance('a', { metadata: call.request['metadata'] }) }),
      };
      const registry = create();
      await expect(registry.instance('zzz')).resolves.toBeUndefined();
      await expect(registry.updateMetadata('a', { zone: 'b' })).resolves.toMatchObject({
        metadata: { zone: 'b' },
      });
    });

    it('fall back to GetServices + GetInstances and a re-register on a server without them', async () => {
      handlers = {
        GetServices: (_, done) => done(null, { serviceNames: ['web', 'orders'] }),
        GetInstances: (call, done) =>
          done(null, {
            instances:
              call.request['serviceName'] === 'orders'
                ? [protoInstance('a', { metadata: { Zone: 'a', x: '1' } })]
                : [],
          }),
        Register: (call, done) => done(null, { success: true, serviceId: call.request['serviceId'] }),
      };
      const registry = create();
      await expect(registry.instance('a')).resolves.toMatchObject({ serviceId: 'a' });
      await registry.updateMetadata('a', { zone: 'b' });
      const register = calls.find((call) => call.method === 'Register')!;
      expect(register.request).toMatchObject({
        serviceId: 'a',
        address: '10.0.0.1',
        port: 80,
        metadata: { x: '1', zone: 'b' },
      });
      expect(calls.filter((call) => call.method === 'GetInstance')).toHaveLength(1);
    });
  });

  describe('errors', () => {
    it.each([
      [status.UNAUTHENTICATED, 401],
      [status.PERMISSION_DENIED, 403],
    ])('maps gRPC status %i to RegistryAccessDeniedError %i', async (code, httpStatus) => {
      handlers = { GetServices: (_, done) => done(fail(code, 'role Service required')) };
      await expect(create().services()).rejects.toMatchObject({
        status: httpStatus,
        detail: 'role Service required',
      });
      await expect(create().services()).rejects.toThrow(RegistryAccessDeniedError);
    });

    it('maps a missed deadline to RegistryUnavailableError', async () => {
      handlers = { GetServices: () => undefined };
      await expect(create({ timeoutMs: 100 }).services()).rejects.toThrow(/timed out after 100 ms/);
    });

    it('maps an unreachable server to RegistryUnavailableError', async () => {
      const spare = new Server();
      const sparePort = await new Promise<number>((resolve, reject) =>
        spare.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        ),
      );
      spare.forceShutdown();
      await expect(create({ url: `127.0.0.1:${sparePort}`, timeoutMs: 1000 }).services()).rejects.toThrow(
        RegistryUnavailableError,
      );
    });
  });

  describe('watch', () => {
    it('yields the stream and reconnects after an error, resuming from the last index', async () => {
      let streams = 0;
      handlers = {
        Watch: (call: {
          request: Message;
          write(message: Message): void;
          emit(event: 'error', error: unknown): void;
          end(): void;
        }) => {
          streams += 1;
          if (streams === 1) {
            call.write({ type: 'SNAPSHOT', index: '7', instances: [protoInstance('a')] });
            call.write({ type: 'DEREGISTER', index: '8', instance: protoInstance('a'), reason: 'expired' });
            call.emit('error', fail(status.UNAVAILABLE, 'restarting'));
          } else {
            call.write({ type: 'REGISTER', index: '9', instance: protoInstance('b') });
          }
        },
      };
      const changes: unknown[] = [];
      for await (const change of create().watch('orders')) {
        changes.push(
          change.type === 'snapshot'
            ? [change.type, change.index, change.instances.length]
            : [change.type, change.index, change.reason],
        );
        if (changes.length === 3) break;
      }
      expect(changes).toEqual([
        ['snapshot', 7, 1],
        ['deregister', 8, 'expired'],
        ['register', 9, undefined],
      ]);
      const watches = calls.filter((call) => call.method === 'Watch').map((call) => call.request);
      expect(watches).toEqual([
        { serviceName: 'orders', index: '0' },
        { serviceName: 'orders', index: '8' },
      ]);
      expect(calls[0]!.authorization).toBe('Bearer grpc-tok');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('UNAVAILABLE: restarting'));
    });

    it('ends an open stream on close()', async () => {
      handlers = {
        Watch: (call: { write(message: Message): void }) =>
          call.write({ type: 'SNAPSHOT', index: '1', instances: [] }),
      };
      const registry = create();
      const seen: string[] = [];
      for await (const change of registry.watch()) {
        seen.push(change.type);
        await registry.close();
      }
      expect(seen).toEqual(['snapshot']);
    });
  });
});
