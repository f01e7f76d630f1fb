import { describe, expect, it } from '@jest/globals';
import type { HealthStatus, ServiceInstance } from '@toskamesh/common';
import { CatalogState } from './service-catalog.state.js';
import { testInstance } from '../../test/upstream-fixtures.js';

const instance = (
  serviceName: string,
  serviceId: string,
  status: HealthStatus = 'Healthy',
  metadata: Record<string, string> = {},
): ServiceInstance => testInstance(serviceId, { serviceName, status, metadata });

describe(CatalogState.name, () => {
  describe('apply', () => {
    it('keeps only Healthy instances, sorted by id, per lower-cased service', () => {
      const state = new CatalogState();
      const changed = state.apply({
        type: 'snapshot',
        index: 3,
        instances: [
          instance('Orders', 'o-2'),
          instance('orders', 'o-1'),
          instance('orders', 'o-3', 'Unhealthy'),
          instance('orders', 'o-4', 'Degraded'),
          instance('orders', 'o-5', 'Unknown'),
          instance('billing', 'b-1', 'Unhealthy'),
        ],
      });
      expect(changed.sort()).toEqual(['billing', 'orders']);
      expect(state.instances('ORDERS')!.map((item) => item.serviceId)).toEqual(['o-1', 'o-2']);
      expect(state.instances('billing')).toEqual([]);
      expect(state.instances('unknown')).toBeUndefined();
      expect(state.services()).toEqual(['billing', 'orders']);
      expect(state.allInstances('Orders')).toHaveLength(5);
      expect(state.lastIndex).toBe(3);
    });

    it('replaces the array on a change and keeps it when nothing routable changed', () => {
      const state = new CatalogState();
      state.apply({ type: 'snapshot', index: 1, instances: [instance('a', 'a-1')] });
      const first = state.instances('a');
      expect(state.apply({ type: 'register', index: 2, instance: instance('a', 'a-2') })).toEqual(['a']);
      const second = state.instances('a');
      expect(second).not.toBe(first);
      expect(second).toHaveLength(2);

      // A new unhealthy instance and a resync with equal content leave the Healthy array alone.
      expect(
        state.apply({ type: 'register', index: 3, instance: instance('a', 'a-3', 'Unhealthy') }),
      ).toEqual([]);
      const resync = [instance('a', 'a-1'), instance('a', 'a-2'), instance('a', 'a-3', 'Unhealthy')];
      expect(state.apply({ type: 'snapshot', index: 4, instances: resync })).toEqual([]);
      expect(state.instances('a')).toBe(second);
      expect(Object.isFrozen(second)).toBe(true);
    });

    it('follows health and metadata changes', () => {
      const state = new CatalogState();
      state.apply({ type: 'snapshot', index: 1, instances: [instance('a', 'a-1'), instance('a', 'a-2')] });
      expect(state.apply({ type: 'health', index: 2, instance: instance('a', 'a-1', 'Unhealthy') })).toEqual([
        'a',
      ]);
      expect(state.instances('a')!.map((item) => item.serviceId)).toEqual(['a-2']);
      state.apply({ type: 'health', index: 3, instance: instance('a', 'a-1') });
      expect(state.instances('a')).toHaveLength(2);
      const before = state.instances('a');
      expect(
        state.apply({
          type: 'metadata',
          index: 4,
          instance: instance('a', 'a-2', 'Healthy', { weight: '5' }),
        }),
      ).toEqual(['a']);
      expect(state.instances('a')).not.toBe(before);
      expect(state.instances('a')![1]!.metadata).toEqual({ weight: '5' });
    });

    it('forgets a service when its last instance leaves', () => {
      const state = new CatalogState();
      state.apply({ type: 'snapshot', index: 1, instances: [instance('a', 'a-1'), instance('b', 'b-1')] });
      const changed = state.apply({
        type: 'deregister',
        index: 2,
        instance: instance('a', 'a-1'),
        reason: 'expired',
      });
      expect(changed).toEqual(['a']);
      expect(state.instances('a')).toBeUndefined();
      expect(state.services()).toEqual(['b']);
      expect(state.apply({ type: 'deregister', index: 3, instance: instance('a', 'a-1') })).toEqual([]);
    });

    it('drops services missing from a new snapshot', () => {
      const state = new CatalogState();
      state.apply({ type: 'snapshot', index: 1, instances: [instance('a', 'a-1'), instance('b', 'b-1')] });
      expect(state.apply({ type: 'snapshot', index: 9, instances: [instance('b', 'b-1')] })).toEqual(['a']);
      expect(state.services()).toEqual(['b']);
    });

    it('moves an id re-registered under another service', () => {
      const state = new CatalogState();
      state.apply({ type: 'snapshot', index: 1, instances: [instance('a', 'x-1')] });
      const changed = state.apply({ type: 'register', index: 2, instance: instance('b', 'x-1') });
      expect(changed.sort()).toEqual(['a', 'b']);
      expect(state.instances('a')).toBeUndefined();
      expect(state.instances('b')).toHaveLength(1);
    });
  });
});
