import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '../errors/mesh-validation.error.js';
import { isValidAddress, normalizeRegistration, registrationProblems } from './registration-rules.js';
import type { ServiceRegistration } from './service-registration.js';

const valid: ServiceRegistration = { serviceName: 'orders', address: '10.0.0.5', port: 8080 };

describe('registrationProblems', () => {
  it('accepts a minimal valid registration', () => {
    expect(registrationProblems(valid)).toEqual([]);
  });

  it('lists every broken rule at once', () => {
    const problems = registrationProblems({ serviceName: '', address: 'not an address', port: 70000 });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/serviceName is required[\s\S]*address[\s\S]*port/);
  });

  it('rejects names outside [A-Za-z0-9._-] or longer than 128', () => {
    expect(registrationProblems({ ...valid, serviceName: 'a b' })).toHaveLength(1);
    expect(registrationProblems({ ...valid, serviceName: 'x'.repeat(129) })).toHaveLength(1);
    expect(registrationProblems({ ...valid, serviceName: 'x'.repeat(128) })).toEqual([]);
  });

  it('rejects more than 64 metadata entries and more than 4 KiB of metadata', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(registrationProblems({ ...valid, metadata: many })[0]).toMatch(/65 entries/);
    expect(registrationProblems({ ...valid, metadata: { big: 'é'.repeat(2048) } })[0]).toMatch(/4096 bytes/);
    expect(registrationProblems({ ...valid, metadata: { big: 'x'.repeat(4093) } })).toEqual([]);
  });

  it('rejects non-string metadata values', () => {
    expect(registrationProblems({ ...valid, metadata: { n: 1 as unknown as string } })[0]).toMatch(/strings/);
  });
});

describe('isValidAddress', () => {
  it.each(['127.0.0.1', '::1', 'orders.svc.cluster.local', 'localhost', 'a-b'])('accepts %s', (address) => {
    expect(isValidAddress(address)).toBe(true);
  });
  it.each(['', 'bad host', '-lead', 'x'.repeat(64), 'http://x'])('rejects %p', (address) => {
    expect(isValidAddress(address)).toBe(false);
  });
});

describe('normalizeRegistration', () => {
  it('generates <serviceName>-<uuid> when the id is absent', () => {
    expect(normalizeRegistration(valid).serviceId).toMatch(/^orders-[0-9a-f-]{36}$/);
  });

  it('keeps a given id and clamps the health-check interval to at least 1 s', () => {
    const result = normalizeRegistration({
      ...valid,
      serviceId: 'orders-1',
      healthCheck: { endpoint: '/health', intervalMs: 200, timeoutMs: 100, unhealthyThreshold: 3 },
    });
    expect(result.serviceId).toBe('orders-1');
    expect(result.healthCheck?.intervalMs).toBe(1000);
  });

  it('throws a validation error listing the problems', () => {
    expect(() => normalizeRegistration({ ...valid, port: 0 })).toThrow(MeshValidationError);
  });
});
