import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@toskamesh/testing';
import type { DiscoveryApp } from '../src/index.js';
import { RegistrationController } from '../src/registration/registration.controller.js';
import {
  adminToken,
  call,
  registrationBody,
  serviceToken,
  startDiscovery,
} from './support/discovery-fixture.js';

const BASE = '/api/ServiceRegistration';

describe(RegistrationController.name, () => {
  let discovery: DiscoveryApp;
  let url: string;

  beforeAll(async () => {
    discovery = await startDiscovery({ grpcPort: false });
    url = discovery.httpUrl;
  });

  afterAll(async () => {
    await discovery?.close();
  });

  /** Registers `name` through the API and returns the id and a token of its service. */
  async function registered(prefix: string, extra: Record<string, unknown> = {}) {
    const name = uniqueName(prefix);
    const token = await serviceToken(name);
    const reply = await call(url, 'POST', `${BASE}/register`, { token, body: registrationBody(name, extra) });
    expect(reply.status).toBe(200);
    return { name, token, id: (reply.body.data as { serviceId: string }).serviceId };
  }

  describe('deregister', () => {
    it('removes the instance and answers 404 the second time', async () => {
      const { id, token } = await registered('dereg');
      const first = await call(url, 'POST', `${BASE}/deregister/${id}`, { token });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        success: true,
        data: null,
        message: 'Service deregistered successfully',
      });
      const lookup = await call(url, 'GET', `/api/ServiceDiscovery/instances/${id}`, { token });
      expect(lookup.status).toBe(404);
      const second = await call(url, 'POST', `${BASE}/deregister/${id}`, { token });
      expect(second.status).toBe(404);
      expect(second.contentType).toMatch(/^application\/problem\+json/);
      expect(second.body).toMatchObject({
        status: 404,
        success: false,
        code: 'MESH_REGISTRY_NOT_REGISTERED',
      });
    });
  });

  describe('health', () => {
    it('sets the status from an integer or a name and renews the heartbeat', async () => {
      const { id, token } = await registered('health');
      const unhealthy = await call(url, 'POST', `${BASE}/health/${id}`, {
        token,
        body: { status: 2, output: 'db down' },
      });
      expect(unhealthy.body).toMatchObject({ success: true, message: 'Health status updated' });
      let instance = await call(url, 'GET', `/api/ServiceDiscovery/instances/${id}`, { token });
      expect(instance.body.data).toMatchObject({ status: 2 });
      expect((instance.body.data as { lastHealthCheck: string | null }).lastHealthCheck).not.toBeNull();
      await call(url, 'POST', `${BASE}/health/${id}`, { token, body: { status: 'Degraded' } });
      instance = await call(url, 'GET', `/api/ServiceDiscovery/instances/${id}`, { token });
      expect(instance.body.data).toMatchObject({ status: 3 });
    });

    it.each([[{ status: 7 }], [{ status: 'Sleepy' }], [{}]])('answers 400 for the body %j', async (body) => {
      const { id, token } = await registered('badstatus');
      const reply = await call(url, 'POST', `${BASE}/health/${id}`, { token, body });
      expect(reply.status).toBe(400);
      expect(reply.contentType).toMatch(/^application\/problem\+json/);
    });

    it('answers 404 for an unknown id', async () => {
      const reply = await call(url, 'POST', `${BASE}/health/nobody-here`, {
        token: await adminToken(),
        body: { status: 1 },
      });
      expect(reply.status).toBe(404);
    });
  });

  describe('heartbeat', () => {
    it('records the heartbeat time, and answers 404 for an unknown id', async () => {
      const { id, token } = await registered('beat');
      const reply = await call(url, 'POST', `${BASE}/heartbeat/${id}`, { token });
      expect(reply.status).toBe(200);
      const instance = await call(url, 'GET', `/api/ServiceDiscovery/instances/${id}`, { token });
      expect((instance.body.data as { lastHeartbeatAt: string | null }).lastHeartbeatAt).not.toBeNull();
      const unknown = await call(url, 'POST', `${BASE}/heartbeat/${id}-gone`, { token: await adminToken() });
      expect(unknown.status).toBe(404);
    });
  });

  describe('metadata', () => {
    it('merges keys case-insensitively and keeps the rest', async () => {
      const { id, token } = await registered('meta', { metadata: { Version: '1', zone: 'a' } });
      const reply = await call(url, 'POST', `${BASE}/metadata/${id}`, {
        token,
        body: { metadata: { version: '2', color: 'blue' } },
      });
      expect(reply.body).toMatchObject({ success: true, message: 'Metadata updated' });
      const instance = await call(url, 'GET', `/api/ServiceDiscovery/instances/${id}`, { token });
      expect((instance.body.data as { metadata: Record<string, string> }).metadata).toEqual({
        version: '2',
        zone: 'a',
        color: 'blue',
      });
    });

    it('answers 400 when the metadata is missing or breaks the limits, 404 for an unknown id', async () => {
      const { id, token } = await registered('metabad');
      const missing = await call(url, 'POST', `${BASE}/metadata/${id}`, { token, body: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual(['Metadata payload is required']);
      const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`extra${i}`, 'v']));
      const tooMany = await call(url, 'POST', `${BASE}/metadata/${id}`, { token, body: { metadata: many } });
      expect(tooMany.status).toBe(400);
      const unknown = await call(url, 'POST', `${BASE}/metadata/${id}-gone`, {
        token: await adminToken(),
        body: { metadata: { a: 'b' } },
      });
      expect(unknown.status).toBe(404);
    });
  });
});
