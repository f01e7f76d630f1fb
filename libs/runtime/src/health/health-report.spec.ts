import { describe, expect, it } from '@jest/globals';
import {
  httpStatusOf,
  overallStatus,
  type HealthReportEntry,
  type HealthReportStatus,
} from './health-report.js';

function entry(status: HealthReportStatus): HealthReportEntry {
  return { name: status, status, duration: 0, description: null, exception: null, data: {} };
}

describe(overallStatus.name, () => {
  it('is Healthy with no checks (the original answers ready/live Healthy with zero checks)', () => {
    expect(overallStatus([])).toBe('Healthy');
  });

  it.each([
    [['Healthy', 'Healthy'], 'Healthy'],
    [['Healthy', 'Degraded'], 'Degraded'],
    [['Degraded', 'Unhealthy', 'Healthy'], 'Unhealthy'],
  ] as const)('reports the worst of %j as %s', (statuses, expected) => {
    expect(overallStatus(statuses.map(entry))).toBe(expected);
  });
});

describe(httpStatusOf.name, () => {
  it.each([
    ['Healthy', 200],
    ['Degraded', 200],
    ['Unhealthy', 503],
  ] as const)('answers %s with %i', (status, code) => {
    expect(httpStatusOf({ status, duration: 0, checks: [] })).toBe(code);
  });
});
