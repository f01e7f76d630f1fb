import { afterEach, describe, expect, it } from '@jest/globals';
import { Counter, register } from 'prom-client';
import { MetricConflictError } from '../errors/metric-conflict.error.js';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from './metric-factory.js';

const NAME = 'toskamesh_telemetry_spec_total';

describe('getOrCreateCounter', () => {
  afterEach(() => register.removeSingleMetric(NAME));

  it('returns the already registered counter on a second registration', () => {
    const first = getOrCreateCounter({ name: NAME, help: 'h', labelNames: ['a', 'b'] });
    const second = getOrCreateCounter({ name: NAME, help: 'other help', labelNames: ['b', 'a'] });
    expect(second).toBe(first);
    expect(register.getSingleMetric(NAME)).toBe(first);
  });

  it('reuses a counter registered directly with prom-client', () => {
    const direct = new Counter({ name: NAME, help: 'h' });
    expect(getOrCreateCounter({ name: NAME, help: 'h' })).toBe(direct);
  });

  it('throws MetricConflictError when the name holds another metric type', () => {
    getOrCreateGauge({ name: NAME, help: 'h' });
    expect(() => getOrCreateCounter({ name: NAME, help: 'h' })).toThrow(MetricConflictError);
    let caught: unknown;
    try {
      getOrCreateHistogram({ name: NAME, help: 'h' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MetricConflictError);
    expect(caught).toMatchObject({ code: 'MESH_TELEMETRY_METRIC_CONFLICT', metricName: NAME });
  });

  it('throws MetricConflictError when the label names differ', () => {
    getOrCreateCounter({ name: NAME, help: 'h', labelNames: ['a'] });
    expect(() => getOrCreateCounter({ name: NAME, help: 'h', labelNames: ['a', 'b'] })).toThrow(
      /labels \[a\], not \[a, b\]/,
    );
  });
});
