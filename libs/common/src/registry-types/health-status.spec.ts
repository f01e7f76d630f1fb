import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '../errors/mesh-validation.error.js';
import { healthStatusToCode, parseHealthStatus } from './health-status.js';

describe('parseHealthStatus', () => {
  it.each([
    [0, 'Unknown'],
    [1, 'Healthy'],
    ['2', 'Unhealthy'],
    ['degraded', 'Degraded'],
    ['HEALTHY', 'Healthy'],
    ['HEALTH_STATUS_UNHEALTHY', 'Unhealthy'],
  ])('reads %p as %s', (input, expected) => {
    expect(parseHealthStatus(input)).toBe(expected);
  });

  it.each([4, -1, 1.5, 'sick', '', null, undefined, {}])('rejects %p with a validation error', (input) => {
    expect(() => parseHealthStatus(input)).toThrow(MeshValidationError);
  });

  it('round-trips through the wire code', () => {
    for (const code of [0, 1, 2, 3]) expect(healthStatusToCode(parseHealthStatus(code))).toBe(code);
  });
});
