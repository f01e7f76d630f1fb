import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { diffStates, snapshotInstances, trackEntries, type ServiceState } from './consul-change.differ.js';
import type { ConsulHealthEntry } from './consul.types.js';

function entry(
  id: string,
  overrides: Partial<ConsulHealthEntry['Service']> = {},
  ttl = { Status: 'passing', Output: '' },
) {
  return {
    Node: { Address: '10.0.0.1' },
    Service: { ID: id, Service: 'orders', Address: '10.0.0.2', Port: 80, Tags: [], Meta: null, ...overrides },
    Checks: [{ CheckID: `service:${id}`, ...ttl }],
  } satisfies ConsulHealthEntry;
}

function state(...entries: ConsulHealthEntry[]): ServiceState {
  return trackEntries(entries, () => null);
}

function counter() {
  let value = 10;
  return () => ++value;
}

describe('diffStates', () => {
  it('reports nothing for equal states', () => {
    expect(diffStates(state(entry('a')), state(entry('a')), counter())).toEqual([]);
  });

  it('reports removals first, then register, metadata and health, with growing indexes', () => {
    const before = state(entry('a'), entry('b'), entry('c'));
    const after = state(
      entry('b', { Meta: { v: '2' } }, { Status: 'critical', Output: 'down' }),
      entry('c', { Port: 81 }),
      entry('d'),
    );
    const events = diffStates(before, after, counter());
    expect(events.map((event) => [event.type, event.instance.serviceId, event.index])).toEqual([
      ['deregister', 'a', 11],
      ['metadata', 'b', 12],
      ['health', 'b', 13],
      ['register', 'c', 14],
      ['register', 'd', 15],
    ]);
    expect(events[0]!.reason).toBe('deregistered');
    expect(events[2]!.instance.status).toBe('Unhealthy');
  });

  it('calls a removal after a lapsed TTL an expiry', () => {
    const lapsed = state(entry('a', {}, { Status: 'critical', Output: 'TTL expired' }));
    expect(diffStates(lapsed, state(), counter())).toMatchObject([{ type: 'deregister', reason: 'expired' }]);
  });

  it('uses the node address when the service has none', () => {
    const [tracked] = state(entry('a', { Address: '' })).values();
    expect(tracked!.instance.address).toBe('10.0.0.1');
  });
});

describe('snapshotInstances', () => {
  it('sorts by service name, then id', () => {
    const make = (serviceName: string, serviceId: string) =>
      new Map([[serviceId, { instance: { serviceName, serviceId } as ServiceInstance, lapsed: false }]]);
    const ids = snapshotInstances([make('b', 'b-1'), make('a', 'a-2'), make('a', 'a-1')]).map(
      (i) => i.serviceId,
    );
    expect(ids).toEqual(['a-1', 'a-2', 'b-1']);
  });
});
