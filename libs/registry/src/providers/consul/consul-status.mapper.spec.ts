import { describe, expect, it } from '@jest/globals';
import { aggregateHealth, checkHealth, reportedStatus, statusNote, ttlVerb } from './consul-status.mapper.js';

const check = (Status: string, Output = 'x') => ({ CheckID: 'c', Status, Output });

describe('consul status mapping', () => {
  describe('checkHealth', () => {
    it.each([
      ['passing', 'ok', 'Healthy'],
      ['passing', '', 'Healthy'],
      ['warning', 'slow', 'Degraded'],
      ['warning', 'toskamesh status: Unknown', 'Unknown'],
      ['critical', 'down', 'Unhealthy'],
      ['critical', '', 'Unknown'],
      ['maintenance', '', 'Unhealthy'],
      ['weird', 'x', 'Unknown'],
    ])('maps %s with output %j to %s', (status, output, expected) => {
      expect(checkHealth(check(status, output))).toBe(expected);
    });
  });

  describe('aggregateHealth', () => {
    it('is Unknown without checks', () => {
      expect(aggregateHealth([])).toBe('Unknown');
    });

    it('ranks Unhealthy over Degraded over Unknown over Healthy', () => {
      expect(aggregateHealth([check('passing'), check('warning'), check('critical')])).toBe('Unhealthy');
      expect(aggregateHealth([check('passing'), check('warning'), check('critical', '')])).toBe('Degraded');
      expect(aggregateHealth([check('passing'), check('critical', '')])).toBe('Unknown');
      expect(aggregateHealth([check('passing'), check('passing')])).toBe('Healthy');
    });
  });

  describe('reportedStatus', () => {
    it('reads the status a heartbeat noted, also after Consul prefixed "TTL expired"', () => {
      expect(reportedStatus(statusNote('Degraded'))).toBe('Degraded');
      expect(
        reportedStatus(`TTL expired (last output before timeout follows): ${statusNote('Unhealthy')}`),
      ).toBe('Unhealthy');
      expect(reportedStatus('TTL expired')).toBeUndefined();
      expect(reportedStatus(undefined)).toBeUndefined();
    });
  });

  describe('ttlVerb', () => {
    it('passes Healthy, fails Unhealthy and warns Degraded and Unknown', () => {
      expect(['Healthy', 'Unhealthy', 'Degraded', 'Unknown'].map((s) => ttlVerb(s as never))).toEqual([
        'pass',
        'fail',
        'warn',
        'warn',
      ]);
    });
  });
});
