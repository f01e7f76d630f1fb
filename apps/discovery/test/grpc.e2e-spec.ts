import { status as GrpcStatus } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@toskamesh/testing';
import { DiscoveryGrpcController } from '../src/grpc/discovery-grpc.controller.js';
import type { DiscoveryApp } from '../src/index.js';
import { adminToken, call, serviceToken, startDiscovery, tokens } from './support/discovery-fixture.js';
import { DiscoveryGrpcTestClient } from './support/grpc-client.js';

describe(DiscoveryGrpcController.name, () => {
  let discovery: DiscoveryApp;
  let client: DiscoveryGrpcTestClient;
  let admin: string;

  beforeAll(async () => {
    discovery = await startDiscovery();
    client = new DiscoveryGrpcTestClient(discovery.grpcUrl!);
    admin = await adminToken();
  });

  afterAll(async () => {
    client?.close();
    await discovery?.close();
  });

  function request(name: string, extra: Record<string, unknown> = {}) {
    return { serviceName: name, address: '10.0.0.7', port: 7000, metadata: { v: '1' }, ...extra };
  }

  async function register(
    name: string,
    extra: Record<string, unknown> = {},
    token?: string,
  ): Promise<string> {
    const reply = await client.call('Register', request(name, extra), token ?? (await serviceToken(name)));
    expect(reply).toMatchObject({ success: true, errorMessage: '' });
    return reply.serviceId as string;
  }

  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'OK',
      (error: { code: number }) => GrpcStatus[error.code],
    );

  describe('Register', () => {
    it('registers, generating the id, and the instance is visible over REST and GetInstances', async () => {
      const name = uniqueName('grpc');
      const id = await register(name);
      expect(id).toMatch(new RegExp(`^${name}-[0-9a-f-]{36}$`));
      const reply = await client.call('GetInstances', { serviceName: name }, admin);
      expect(reply.instances).toEqual([
        expect.objectContaining({
          serviceId: id,
          address: '10.0.0.7',
          port: 7000,
          status: 'HEALTH_STATUS_HEALTHY',
          metadata: { v: '1' },
          registeredAt: expect.objectContaining({ seconds: expect.any(String) }),
        }),
      ]);
    });

    it('applies the original defaults: interval 0 -> 10 s, clamped to >= 1 s, threshold <= 0 -> 3', async () => {
      const name = uniqueName('grpchc');
      const token = await serviceToken(name);
      const defaults = await register(
        name,
        { address: '127.0.0.1', port: 1, healthCheck: { endpoint: '/h' } },
        token,
      );
      const clamped = await register(
        name,
        {
          address: '127.0.0.1',
          port: 1,
          healthCheck: { endpoint: '/h', intervalSeconds: -4, timeoutSeconds: 2, unhealthyThreshold: -1 },
        },
        token,
      );
      const read = async (id: string) =>
        (await call(discovery.httpUrl, 'GET', `/api/ServiceDiscovery/instances/${id}`, { token })).body.data;
      expect(await read(defaults)).toMatchObject({
        status: 0,
        healthCheck: { interval: '00:00:10', timeout: '00:00:05', unhealthyThreshold: 3 },
      });
      expect(await read(clamped)).toMatchObject({
        healthCheck: { interval: '00:00:01', timeout: '00:00:02', unhealthyThreshold: 3 },
      });
    });

    it('answers INVALID_ARGUMENT for a missing name or a bad port', async () => {
      expect(await code(client.call('Register', request(''), admin))).toBe('INVALID_ARGUMENT');
      expect(await code(client.call('Register', request('x', { port: 70000 }), admin))).toBe(
        'INVALID_ARGUMENT',
      );
    });

    it('answers UNAUTHENTICATED without a token and PERMISSION_DENIED for another service', async () => {
      const name = uniqueName('owned');
      expect(await code(client.call('Register', request(name)))).toBe('UNAUTHENTICATED');
      expect(
        await code(client.call('Register', request(name), await serviceToken(uniqueName('other')))),
      ).toBe('PERMISSION_DENIED');
      const reader = await tokens.issue({ subject: 'r', serviceName: name, roles: ['Reader'] });
      expect(await code(client.call('Register', request(name), reader))).toBe('PERMISSION_DENIED');
    });
  });

  describe('Deregister', () => {
    it('removes an instance and answers NOT_FOUND for an unknown id', async () => {
      const name = uniqueName('grpcdel');
      const id = await register(name);
      expect(await client.call('Deregister', { serviceId: id }, admin)).toEqual({ removed: true });
      expect(await code(client.call('Deregister', { serviceId: id }, admin))).toBe('NOT_FOUND');
    });
  });

  describe('ReportHealth and Heartbeat', () => {
    it('sets the status, renews the TTL, and answers NOT_FOUND / INVALID_ARGUMENT', async () => {
      const name = uniqueName('grpchealth');
      const token = await serviceToken(name);
      const id = await register(name, {}, token);
      const report = { serviceId: id, status: 'HEALTH_STATUS_DEGRADED', output: 'slow' };
      expect(await client.call('ReportHealth', report, token)).toEqual({ success: true });
      const { instance } = await client.call('GetInstance', { serviceId: id }, token);
      expect(instance).toMatchObject({
        status: 'HEALTH_STATUS_DEGRADED',
        lastHealthCheck: expect.any(Object),
      });
      expect(await client.call('Heartbeat', { serviceId: id }, token)).toEqual({ success: true });
      expect(await code(client.call('ReportHealth', { ...report, serviceId: `${id}-x` }, admin))).toBe(
        'NOT_FOUND',
      );
      expect(await code(client.call('Heartbeat', { serviceId: `${id}-x` }, admin))).toBe('NOT_FOUND');
      expect(await code(client.call('Heartbeat', { serviceId: '' }, admin))).toBe('INVALID_ARGUMENT');
    });
  });

  describe('GetServices, GetInstance and UpdateMetadata', () => {
    it('reads and merges metadata, NOT_FOUND for unknown ids, UNAUTHENTICATED for anonymous reads', async () => {
      const name = uniqueName('grpcread');
      const token = await serviceToken(name);
      const id = await register(name, {}, token);
      expect((await client.call('GetServices', {}, token)).serviceNames).toContain(name);
      const updated = await client.call(
        'UpdateMetadata',
        { serviceId: id, metadata: { V: '2', zone: 'b' } },
        token,
      );
      expect((updated.instance as { metadata: unknown }).metadata).toEqual({ V: '2', zone: 'b' });
      expect(await code(client.call('GetInstance', { serviceId: `${id}-x` }, token))).toBe('NOT_FOUND');
      expect(await code(client.call('UpdateMetadata', { serviceId: `${id}-x`, metadata: {} }, admin))).toBe(
        'NOT_FOUND',
      );
      expect(await code(client.call('GetServices', {}))).toBe('UNAUTHENTICATED');
      expect(await code(client.call('GetInstances', { serviceName: '' }, token))).toBe('INVALID_ARGUMENT');
    });
  });

  describe('Watch', () => {
    it('streams a snapshot, then changes of the service, and resumes after an index', async () => {
      const name = uniqueName('grpcwatch');
      const token = await serviceToken(name);
      const existing = await register(name, {}, token);
      const stream = client.watch({ serviceName: name }, token);
      const snapshot = await stream.next();
      expect(snapshot).toMatchObject({
        type: 'SNAPSHOT',
        instances: [expect.objectContaining({ serviceId: existing })],
      });
      const id = await register(name, {}, token);
      await client.call('ReportHealth', { serviceId: id, status: 'HEALTH_STATUS_UNHEALTHY' }, token);
      await client.call('Deregister', { serviceId: id }, token);
      const events = [await stream.next(), await stream.next(), await stream.next()];
      expect(events.map((e) => e.type)).toEqual(['REGISTER', 'HEALTH', 'DEREGISTER']);
      expect(events[2]).toMatchObject({
        reason: 'deregistered',
        instance: expect.objectContaining({ serviceId: id }),
      });
      stream.cancel();

      const resumed = client.watch({ serviceName: name, index: String(snapshot.index) }, token);
      expect((await resumed.next()).type).toBe('REGISTER');
      resumed.cancel();
      expect(await code(client.watch({ serviceName: name }).next())).toBe('UNAUTHENTICATED');
    });
  });
});
