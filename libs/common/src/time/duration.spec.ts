import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '../errors/mesh-validation.error.js';
import { formatTimeSpan, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    [30, 's', 30_000],
    ['10', 's', 10_000],
    ['250', 'ms', 250],
    ['00:00:30', 's', 30_000],
    ['01:02:03', 's', 3_723_000],
    ['1.00:00:00', 's', 86_400_000],
    ['00:00:00.250', 's', 250],
    ['250ms', 's', 250],
    ['5m', 's', 300_000],
    ['1.5s', 's', 1500],
  ] as const)('reads %p (bare unit %s) as %d ms', (input, unit, expected) => {
    expect(parseDurationMs(input, unit)).toBe(expected);
  });

  it.each(['abc', '00:61:00', '-5', '', 'ten seconds'])('rejects %p', (input) => {
    expect(() => parseDurationMs(input)).toThrow(MeshValidationError);
  });
});

describe('formatTimeSpan', () => {
  it('writes .NET TimeSpan text', () => {
    expect(formatTimeSpan(30_000)).toBe('00:00:30');
    expect(formatTimeSpan(250)).toBe('00:00:00.250');
    expect(formatTimeSpan(90_061_000)).toBe('1.01:01:01');
  });
});
