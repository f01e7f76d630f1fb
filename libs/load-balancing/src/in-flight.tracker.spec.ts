import { describe, expect, it } from '@jest/globals';
import { InFlightTracker } from './in-flight.tracker.js';

describe(InFlightTracker.name, () => {
  describe('acquire', () => {
    it('counts concurrent acquisitions per service id', () => {
      const tracker = new InFlightTracker();
      tracker.acquire('a');
      tracker.acquire('a');
      tracker.acquire('b');
      expect(tracker.count('a')).toBe(2);
      expect(tracker.count('b')).toBe(1);
      expect(tracker.count('c')).toBe(0);
    });

    it('decrements once however often a release is called', () => {
      const tracker = new InFlightTracker();
      const first = tracker.acquire('a');
      tracker.acquire('a');
      first();
      first();
      first();
      expect(tracker.count('a')).toBe(1);
    });

    it('forgets ids with nothing in flight so churn does not grow the map', () => {
      const tracker = new InFlightTracker();
      for (let i = 0; i < 1000; i++) {
        const release = tracker.acquire(`instance-${i}`);
        release();
      }
      const open = tracker.acquire('kept');
      expect(tracker.size).toBe(1);
      open();
      expect(tracker.size).toBe(0);
    });

    it('keeps other holders counted when a stale release runs after the id was forgotten', () => {
      const tracker = new InFlightTracker();
      const old = tracker.acquire('a');
      old();
      const current = tracker.acquire('a');
      old();
      expect(tracker.count('a')).toBe(1);
      current();
      expect(tracker.count('a')).toBe(0);
    });
  });
});
