import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
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
    discovery = await startDiscovery();
    url = discovery.httpUrl;
  });

  afterAll(async () => {
    await discovery?.close();
  });

  describe('register', () => {
    it('answers the envelope with the stored instance, status as an integer and every field present', async () => {
      const name = uniqueName('orders');
      const reply = await call(url, 'POST', `${BASE}/register`, {
        token: await serviceToken(name),
        body: registrationBody(name, { serviceId: `${name}-1` }),
        headers: { 'x-request-id': 'req-42' },
      });
      expect(reply.status).toBe(200);
      expect(reply.contentType).toMatch(/^application\/json/);
      expect(reply.body).toMatchObject({
        success: true,
        message: 'Service registered successfully',
        traceId: 'req-42',
        data: {
          serviceName: name,
          serviceId: `${name}-1`,
          address: '10.1.2.3',
          port: 8080,
          status: 1,
          metadata: { version: '1' },
          lastHealthCheck: null,
        },
      });
      expect(new Date(reply.body.timestamp as string).getTime()).not.toBeNaN();
      const data = reply.body.data as Record<string, unknown>;
      expect(Object.keys(data)).toEqual(
        expect.arrayContaining([
          'serviceName',
          'serviceId',
          'address',
          'port',
          'status',
          'metadata',
          'registeredAt',
          'lastHealthCheck',
        ]),
      );
    });

    it('generates "<serviceName>-<uuid>" when serviceId is absent', async () => {
      const name = uniqueName('gen');
      const reply = await call(url, 'POST', `${BASE}/register`, {
        token: await serviceToken(name),
        body: registrationBody(name),
      });
      const data = reply.body.data as { serviceId: string };
      expect(data.serviceId).toMatch(
        new RegExp(`^${name}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
      );
    });

    it('starts Unknown with a health check given as a TimeSpan and clamps the interval to 1 s', async () => {
      const name = uniqueName('hc');
      const reply = await call(url, 'POST', `${BASE}/register`, {
        token: await serviceToken(name),
        body: registrationBody(name, {
          address: '127.0.0.1',
          port: 1,
          healthCheck: { endpoint: '/health', interval: '00:00:00.200', timeout: 1, unhealthyThreshold: 0 },
        }),
      });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({
        status: 0,
        healthCheck: {
          endpoint: '/health',
          interval: '00:00:01',
          timeout: '00:00:01',
          unhealthyThreshold: 3,
        },
      });
    });

    it('keeps a loopback address sent by a loopback caller', async () => {
      const name = uniqueName('lo');
      const reply = await call(url, 'POST', `${BASE}/register`, {
        token: await serviceToken(name),
        body: registrationBody(name, { address: '0.0.0.0' }),
      });
      expect(reply.body.data).toMatchObject({ address: '0.0.0.0' });
    });

    const remoteIp = Object.values(networkInterfaces())
      .flat()
      .find((nic) => nic && nic.family === 'IPv4' && !nic.internal)?.address;
    (remoteIp ? it : it.skip)(
      'replaces an unspecified or loopback address from a remote caller by its IP',
      async () => {
        // A request from a non-loopback local address looks remote to the server on 127.0.0.1.
        for (const address of ['0.0.0.0', '127.0.0.1', '::', 'orders.internal']) {
          const name = uniqueName('remote');
          const body = await postFrom(
            remoteIp!,
            `${url}${BASE}/register`,
            await serviceToken(name),
            registrationBody(name, { address }),
          );
          expect((body.data as { address: string }).address).toBe(
            address === 'orders.internal' ? address : remoteIp,
          );
        }
      },
    );

    it('answers 400 problem+json listing every broken rule', async () => {
      const name = uniqueName('bad');
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
      const reply = await call(url, 'POST', `${BASE}/register`, {
        token: await serviceToken(name),
        body: { serviceName: name, address: 'not a host!', port: 70000, metadata },
      });
      expect(reply.status).toBe(400);
      expect(reply.contentType).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({
        status: 400,
        title: 'Validation failed',
        success: false,
        data: null,
      });
      const errors = reply.body.errors as string[];
      expect(errors).toHaveLength(3);
      expect(errors.join('\n')).toMatch(/address/);
      expect(errors.join('\n')).toMatch(/port/);
      expect(errors.join('\n')).toMatch(/65 entries/);
    });

    it.each([
      ['a missing serviceName', { address: '10.0.0.1', port: 80 }, /serviceName is required/],
      ['a port out of range', { serviceName: 'x', address: '10.0.0.1', port: 0 }, /port/],
      ['a bad address', { serviceName: 'x', address: 'bad host', port: 80 }, /address/],
      [
        'metadata over 4 KiB',
        { serviceName: 'x', address: '10.0.0.1', port: 80, metadata: { big: 'x'.repeat(4100) } },
        /bytes/,
      ],
      [
        'a bad interval',
        {
          serviceName: 'x',
          address: '10.0.0.1',
          port: 80,
          healthCheck: { endpoint: '/h', interval: 'soon' },
        },
        /interval/,
      ],
    ])('answers 400 for %s', async (_label, body, pattern) => {
      const reply = await call(url, 'POST', `${BASE}/register`, { token: await adminToken(), body });
      expect(reply.status).toBe(400);
      expect(reply.contentType).toMatch(/^application\/problem\+json/);
      expect((reply.body.errors as string[]).join('\n')).toMatch(pattern);
    });

    it('answers 400 problem+json for a body that is not JSON', async () => {
      const reply = await call(url, 'POST', `${BASE}/register`, {
        token: await adminToken(),
        rawBody: '{"serviceName":',
      });
      expect(reply.status).toBe(400);
      expect(reply.contentType).toMatch(/^application\/problem\+json/);
      expect(reply.body.success).toBe(false);
    });

    it('matches the route case-insensitively', async () => {
      const name = uniqueName('case');
      const reply = await call(url, 'POST', '/API/serviceregistration/REGISTER', {
        token: await serviceToken(name),
        body: registrationBody(name),
      });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({ serviceName: name });
    });
  });

  it('answers 404 problem+json for an unknown route', async () => {
    const reply = await call(url, 'GET', '/api/ServiceRegistration/nothing-here', {
      token: await adminToken(),
    });
    expect(reply.status).toBe(404);
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status: 404, success: false });
  });
});

/** POSTs JSON over node:http from `localAddress` (undici cannot pick the source address). */
function postFrom(
  localAddress: string,
  target: string,
  token: string,
  payload: unknown,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: 'POST',
        localAddress,
        timeout: 5000,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
