import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import Express from 'express';
import { MeshConfigError } from '@toskamesh/common';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { eventually, uniqueName } from '@toskamesh/testing';
import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { DiscoveryAppModule, canonicalRouteMiddleware, createDiscoveryApp } from '../src/index.js';
import {
  TEST_SECRET,
  adminToken,
  call,
  registrationBody,
  startDiscovery,
} from './support/discovery-fixture.js';
import { DiscoveryGrpcTestClient } from './support/grpc-client.js';
import { SseClient } from './support/sse-client.js';

describe(DiscoveryAppModule.name, () => {
  describe('forRootAsync', () => {
    it('builds the service from a factory inside another Nest app', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          DiscoveryAppModule.forRootAsync({
            useFactory: () => Promise.resolve({ auth: { secret: TEST_SECRET }, probing: { enabled: false } }),
          }),
        ],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      try {
        await app.listen(0, '127.0.0.1');
        const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
        const token = await adminToken();
        const name = uniqueName('async');
        expect(
          (
            await call(url, 'POST', '/api/ServiceRegistration/register', {
              token,
              body: registrationBody(name),
            })
          ).status,
        ).toBe(200);
        expect((await call(url, 'GET', '/api/ServiceDiscovery/services', { token })).body.data).toContain(
          name,
        );
      } finally {
        await app.close();
      }
    });
  });

  describe('canonicalRouteMiddleware', () => {
    it('keeps the routes case-insensitive in a host app whose router is case-sensitive', async () => {
      const express = Express();
      express.set('case sensitive routing', true);
      const moduleRef = await Test.createTestingModule({
        imports: [DiscoveryAppModule.forRoot({ auth: { secret: TEST_SECRET }, probing: { enabled: false } })],
      }).compile();
      const app = moduleRef.createNestApplication(new ExpressAdapter(express), { logger: false });
      app.use(canonicalRouteMiddleware);
      try {
        await app.listen(0, '127.0.0.1');
        const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
        const reply = await call(url, 'GET', '/API/SERVICEDISCOVERY/Services', { token: await adminToken() });
        expect(reply.status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });

  describe('forRoot', () => {
    it('refuses to start with a MeshConfigError for bad options', async () => {
      const moduleRef = Test.createTestingModule({
        imports: [DiscoveryAppModule.forRoot({ nodeEnv: 'production' })],
      });
      await expect(moduleRef.compile()).rejects.toThrow(/MESH_SERVICE_AUTH_SECRET/);
    });
  });
});

describe(createDiscoveryApp.name, () => {
  it('rejects bad options before opening any socket', async () => {
    await expect(createDiscoveryApp({ nodeEnv: 'production', port: 0, grpcPort: 0 })).rejects.toBeInstanceOf(
      MeshConfigError,
    );
    await expect(createDiscoveryApp({ port: 99_999 })).rejects.toThrow(/"port"/);
  });

  it('fails cleanly when the gRPC port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    // grpc-js logs the failed bind itself; the rejection is what this test is about.
    setLogVerbosity(logVerbosity.NONE);
    try {
      await expect(startDiscovery({ grpcPort: taken })).rejects.toThrow();
    } finally {
      setLogVerbosity(logVerbosity.ERROR);
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('leaves a registry handed in as an instance open, and close() may be called twice', async () => {
    const registry = new MemoryServiceRegistry();
    const discovery = await startDiscovery({ store: { provider: registry }, grpcPort: false });
    const name = uniqueName('owned');
    await call(discovery.httpUrl, 'POST', '/api/ServiceRegistration/register', {
      token: await adminToken(),
      body: registrationBody(name),
    });
    await Promise.all([discovery.close(), discovery.close()]);
    expect((await registry.instances(name)).map((i) => i.serviceName)).toEqual([name]);
    await registry.close();
  });

  it('closes promptly while SSE and gRPC watch streams are open, ending them', async () => {
    const discovery = await startDiscovery();
    const token = await adminToken();
    const sse = await SseClient.open(`${discovery.httpUrl}/api/ServiceDiscovery/watch`, {
      authorization: `Bearer ${token}`,
    });
    const grpc = new DiscoveryGrpcTestClient(discovery.grpcUrl!);
    const stream = grpc.watch({}, token);
    try {
      expect((await sse.next()).event).toBe('snapshot');
      expect((await stream.next()).type).toBe('SNAPSHOT');
      const started = Date.now();
      await discovery.close();
      expect(Date.now() - started).toBeLessThan(3000);
      await eventually(() => expect(sse.closed).toBe(true), { timeoutMs: 3000 });
      await expect(stream.next(3000)).rejects.toThrow(/ended|UNAVAILABLE|CANCELLED/);
    } finally {
      sse.close();
      grpc.close();
    }
  });

  it('reports the bound URLs for ephemeral ports', async () => {
    const discovery = await startDiscovery();
    try {
      expect(discovery.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(discovery.grpcUrl).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(discovery.grpcUrl).not.toBe('127.0.0.1:0');
    } finally {
      await discovery.close();
    }
  });
});
