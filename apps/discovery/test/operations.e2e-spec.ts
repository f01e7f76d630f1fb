import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DiscoveryApp } from '../src/index.js';
import { call, registrationBody, serviceToken, startDiscovery } from './support/discovery-fixture.js';

describe('discovery operations endpoints', () => {
  let discovery: DiscoveryApp;

  beforeAll(async () => {
    discovery = await startDiscovery();
  });
  afterAll(() => discovery.close());

  it.each(['/health', '/health/live', '/health/ready'])(
    'answers %s in the original health shape without a token',
    async (path) => {
      const response = await fetch(`${discovery.httpUrl}${path}`);
      expect(response.status).toBe(200);
      const report = (await response.json()) as {
        status: string;
        duration: number;
        checks: Array<{ name: string; status: string }>;
      };
      expect(report.status).toBe('Healthy');
      expect(typeof report.duration).toBe('number');
      expect(report.checks.every((check) => check.status === 'Healthy')).toBe(true);
    },
  );

  it('checks the store on /health/ready', async () => {
    const report = (await (await fetch(`${discovery.httpUrl}/health/ready`)).json()) as {
      checks: Array<{ name: string }>;
    };
    expect(report.checks.map((check) => check.name)).toEqual(['store']);
  });

  it('exposes RED metrics by route pattern on /metrics', async () => {
    const token = await serviceToken('metrics-probe');
    const reply = await call(discovery.httpUrl, 'POST', '/api/ServiceRegistration/register', {
      token,
      body: registrationBody('metrics-probe'),
    });
    expect(reply.status).toBe(200);
    const text = await (await fetch(`${discovery.httpUrl}/metrics`)).text();
    expect(text).toMatch(
      /http_server_requests_total\{[^}]*route="\/api\/ServiceRegistration\/register"[^}]*\} 1/,
    );
    expect(text).toContain('service_name="discovery"');
  });
});
