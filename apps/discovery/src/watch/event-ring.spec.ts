import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import type { RegistryEvent } from '@toskamesh/registry';
import { EventRing } from './event-ring.js';

const event = (index: number): RegistryEvent => ({
  type: 'register',
  index,
  instance: { serviceId: `s-${index}` } as ServiceInstance,
});

describe(EventRing.name, () => {
  describe('since', () => {
    it('returns the events after an index while they are all held', () => {
      const ring = new EventRing(3);
      [1, 2, 3].forEach((i) => ring.push(event(i)));
      expect(ring.since(1)?.map((e) => e.index)).toEqual([2, 3]);
      expect(ring.since(0)?.map((e) => e.index)).toEqual([1, 2, 3]);
      expect(ring.since(3)).toEqual([]);
    });

    it('returns undefined once an event after the index was evicted', () => {
      const ring = new EventRing(3);
      [1, 2, 3, 4, 5].forEach((i) => ring.push(event(i)));
      expect(ring.baseIndex).toBe(2);
      expect(ring.size).toBe(3);
      expect(ring.since(1)).toBeUndefined();
      expect(ring.since(2)?.map((e) => e.index)).toEqual([3, 4, 5]);
    });

    it('copes with gaps between indexes', () => {
      const ring = new EventRing(2);
      [10, 20, 30].forEach((i) => ring.push(event(i)));
      expect(ring.since(15)?.map((e) => e.index)).toEqual([20, 30]);
      expect(ring.since(9)).toBeUndefined();
    });
  });

  describe('reset', () => {
    it('forgets everything and is complete only after the new base', () => {
      const ring = new EventRing(5);
      [1, 2].forEach((i) => ring.push(event(i)));
      ring.reset(7);
      expect(ring.since(2)).toBeUndefined();
      expect(ring.since(7)).toEqual([]);
      ring.push(event(8));
      expect(ring.since(7)?.map((e) => e.index)).toEqual([8]);
    });
  });
});
