import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '@toskamesh/common';
import { parseRegistrationBody } from './registration-body.js';

const context = { callerIp: '127.0.0.1', defaultTimeoutMs: 5000 };

function problemsOf(body: unknown): string[] {
  try {
    parseRegistrationBody(body, context);
  } catch (error) {
    if (error instanceof MeshValidationError) return [...error.errors];
    throw error;
  }
  return [];
}

describe(parseRegistrationBody.name, () => {
  it('reads the .NET body, TimeSpan and seconds intervals, and generates the id', () => {
    const registration = parseRegistrationBody(
      {
        serviceName: 'orders',
        address: 'orders.local',
        port: '8080',
        metadata: { scheme: 'https' },
        healthCheck: { endpoint: '/health', interval: '00:00:30', timeout: 2, unhealthyThreshold: 5 },
      },
      context,
    );
    expect(registration).toMatchObject({
      serviceName: 'orders',
      address: 'orders.local',
      port: 8080,
      healthCheck: { endpoint: '/health', intervalMs: 30_000, timeoutMs: 2000, unhealthyThreshold: 5 },
    });
    expect(registration.serviceId).toMatch(/^orders-[0-9a-f-]{36}$/);
  });

  it('treats 0 and absent health-check values as the defaults and clamps the interval to 1 s', () => {
    expect(
      parseRegistrationBody(
        { serviceName: 'a', address: 'h', port: 1, healthCheck: { endpoint: '/h', interval: 0 } },
        context,
      ).healthCheck,
    ).toEqual({
      endpoint: '/h',
      intervalMs: 10_000,
      timeoutMs: 5000,
      unhealthyThreshold: 3,
    });
    expect(
      parseRegistrationBody(
        { serviceName: 'a', address: 'h', port: 1, healthCheck: { endpoint: '/h', intervalMs: 20 } },
        context,
      ).healthCheck?.intervalMs,
    ).toBe(1000);
  });

  it('accepts an empty serviceId as absent, tags, scheme and ttl', () => {
    const registration = parseRegistrationBody(
      {
        serviceName: 'a',
        serviceId: '',
        address: 'h',
        port: 1,
        tags: ['x'],
        scheme: 'https',
        ttl: '00:00:05',
      },
      context,
    );
    expect(registration).toMatchObject({ tags: ['x'], scheme: 'https', ttlMs: 5000 });
    expect(registration.serviceId).toMatch(/^a-/);
  });

  it('lists every broken rule at once', () => {
    expect(
      problemsOf({
        serviceName: 'bad name',
        address: 3,
        port: 'x',
        tags: 'y',
        healthCheck: { endpoint: 'health', interval: 'soon' },
      }),
    ).toEqual([
      'address must be a string (got 3)',
      'tags must be an array of strings',
      'healthCheck.interval must be seconds or a TimeSpan like "00:00:10" (got "soon")',
      'serviceName must be 1-128 characters of [A-Za-z0-9._-] (got "bad name")',
      'port must be an integer 1-65535 (got "x")',
      'healthCheck.endpoint must be a path starting with "/" (got "health")',
    ]);
  });

  it('refuses a body that is not an object', () => {
    expect(problemsOf([1, 2])).toEqual(['body must be a JSON object']);
    expect(problemsOf(null)).toEqual(['body must be a JSON object']);
  });
});
