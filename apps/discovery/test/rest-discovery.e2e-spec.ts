import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@toskamesh/testing';
import { DiscoveryController } from '../src/discovery/discovery.controller.js';
import type { DiscoveryApp } from '../src/index.js';
import {
  adminToken,
  call,
  registrationBody,
  serviceToken,
  startDiscovery,
} from './support/discovery-fixture.js';

const REG = '/api/ServiceRegistration';
const DISC = '/api/ServiceDiscovery';

interface InstanceJson {
  serviceId: string;
  status: number;
  metadata: Record<string, string>;
}

describe(DiscoveryController.name, () => {
  let discovery: DiscoveryApp;
  let url: string;
  let admin: string;
  const name = uniqueName('Catalog');
  const ids = [`${name}-a`, `${name}-b`, `${name}-c`];

  beforeAll(async () => {
    discovery = await startDiscovery();
    url = discovery.httpUrl;
    admin = await adminToken();
    const token = await serviceToken(name);
    const zones = ['eu', 'EU', 'us'];
    for (const [i, id] of ids.entries()) {
      const body = registrationBody(name, {
        serviceId: id,
        port: 9000 + i,
        metadata: { zone: zones[i]!, [i ? 'Tier' : 'tier']: 'gold' },
      });
      const reply = await call(url, 'POST', `${REG}/register`, { token, body });
      expect(reply.status).toBe(200);
    }
    await call(url, 'POST', `${REG}/health/${ids[2]}`, { token, body: { status: 'Unhealthy' } });
  });

  afterAll(async () => {
    await discovery?.close();
  });

  describe('services', () => {
    it('lists the registered service names', async () => {
      const reply = await call<{ data: string[] }>(url, 'GET', `${DISC}/services`, { token: admin });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toContain(name);
    });
  });

  describe('instances', () => {
    it('returns every instance of the service, in all states, sorted by id', async () => {
      const reply = await call<{ data: InstanceJson[] }>(url, 'GET', `${DISC}/services/${name}/instances`, {
        token: admin,
      });
      expect(reply.body.data.map((i) => [i.serviceId, i.status])).toEqual([
        [ids[0], 1],
        [ids[1], 1],
        [ids[2], 2],
      ]);
    });

    it('returns only Healthy instances on /healthy', async () => {
      const reply = await call<{ data: InstanceJson[] }>(
        url,
        'GET',
        `${DISC}/services/${name}/instances/healthy`,
        { token: admin },
      );
      expect(reply.body.data.map((i) => i.serviceId)).toEqual([ids[0], ids[1]]);
    });

    it('returns an empty list for an unknown service, and treats service names case-sensitively', async () => {
      const reply = await call<{ data: InstanceJson[] }>(
        url,
        'GET',
        `${DISC}/services/${name.toLowerCase()}/instances`,
        { token: admin },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual([]);
    });

    it('matches the route case-insensitively but keeps the service name as sent', async () => {
      const reply = await call<{ data: InstanceJson[] }>(
        url,
        'GET',
        `/API/servicediscovery/SERVICES/${name}/Instances/HEALTHY`,
        {
          token: admin,
        },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.data).toHaveLength(2);
    });
  });

  describe('instance', () => {
    it('returns one instance, or 404 problem+json for an unknown id', async () => {
      const found = await call(url, 'GET', `${DISC}/instances/${ids[0]}`, { token: admin });
      expect(found.body.data).toMatchObject({ serviceId: ids[0], port: 9000 });
      const missing = await call(url, 'GET', `${DISC}/instances/${name}-zzz`, { token: admin });
      expect(missing.status).toBe(404);
      expect(missing.contentType).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({
        type: expect.any(String),
        title: 'Not found',
        status: 404,
        success: false,
      });
    });
  });

  describe('metadata', () => {
    it('summarises keys and distinct values case-insensitively', async () => {
      const reply = await call(url, 'GET', `${DISC}/services/${name}/metadata`, { token: admin });
      expect(reply.body.data).toMatchObject({
        serviceName: name,
        instanceCount: 3,
        keys: [
          { key: 'tier', instanceCount: 3, values: ['gold'] },
          { key: 'zone', instanceCount: 3, values: ['eu', 'us'] },
        ],
      });
      expect(new Date((reply.body.data as { generatedAt: string }).generatedAt).getTime()).not.toBeNaN();
    });
  });

  describe('tracking', () => {
    it('tracks an instance, keeps it after deregistration with deregisteredAt, and 404s one never seen', async () => {
      const extra = uniqueName('Tracked');
      const token = await serviceToken(extra);
      const registered = await call(url, 'POST', `${REG}/register`, { token, body: registrationBody(extra) });
      const id = (registered.body.data as { serviceId: string }).serviceId;
      const live = await call(url, 'GET', `${DISC}/instances/${id}/tracking`, { token });
      expect(live.body.data).toMatchObject({
        serviceId: id,
        serviceName: extra,
        deregisteredAt: null,
        status: 1,
      });
      await call(url, 'POST', `${REG}/deregister/${id}`, { token });
      const gone = await call(url, 'GET', `${DISC}/instances/${id}/tracking`, { token });
      expect(gone.status).toBe(200);
      const snapshot = gone.body.data as Record<string, unknown>;
      expect(snapshot).toMatchObject({ serviceId: id, serviceName: extra, metadata: { version: '1' } });
      for (const key of ['registeredAt', 'deregisteredAt', 'lastUpdated'])
        expect(snapshot[key]).toEqual(expect.any(String));
      expect(Object.keys(snapshot)).toEqual(expect.arrayContaining(['lastHealthCheck', 'status']));
      const never = await call(url, 'GET', `${DISC}/instances/${extra}-never/tracking`, { token });
      expect(never.status).toBe(404);
    });

    it('lists the tracking snapshots of a service', async () => {
      const reply = await call<{ data: { serviceId: string; status: number }[] }>(
        url,
        'GET',
        `${DISC}/services/${name}/instances/tracking`,
        { token: admin },
      );
      expect(reply.body.data.map((s) => [s.serviceId, s.status])).toEqual([
        [ids[0], 1],
        [ids[1], 1],
        [ids[2], 2],
      ]);
    });
  });
});
