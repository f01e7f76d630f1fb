import { describe, expect, it } from '@jest/globals';
import { instance } from '../test/fixtures/instance.fixture.js';
import { healthyInstances } from './healthy-instances.js';

describe(healthyInstances.name, () => {
  it('keeps only Healthy instances', () => {
    const list = [
      instance('a'),
      instance('b', { status: 'Degraded' }),
      instance('c', { status: 'Unhealthy' }),
      instance('d', { status: 'Unknown' }),
      instance('e'),
    ];
    expect(healthyInstances(list).map((i) => i.serviceId)).toEqual(['a', 'e']);
  });

  // The .NET router fell back to Degraded and Unhealthy instances when none was healthy, sending
  // traffic to instances known to be failing. An empty answer must stay empty.
  it('returns an empty list rather than falling back to unhealthy instances', () => {
    const list = [instance('b', { status: 'Degraded' }), instance('c', { status: 'Unhealthy' })];
    expect(healthyInstances(list)).toEqual([]);
  });
});
