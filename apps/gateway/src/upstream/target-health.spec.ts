import { describe, expect, it } from '@jest/globals';
import { TargetHealth } from './target-health.js';

const settings = { consecutiveFailures: 5, baseEjectionMs: 1000, maxEjectionMs: 8000 };

describe(TargetHealth.name, () => {
  describe('ejectPassively', () => {
    it('doubles the ejection per repeat up to the maximum', () => {
      const health = new TargetHealth();
      const lengths: number[] = [];
      let now = 0;
      for (let i = 0; i < 6; i++) {
        const forMs = health.ejectPassively(now, settings);
        lengths.push(forMs);
        now += forMs;
        health.endPassiveEjection();
      }
      expect(lengths).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
      expect(health.ejections).toBe(6);
    });

    it('decays one doubling per maxEjectionMs spent back in rotation', () => {
      const health = new TargetHealth();
      health.ejectPassively(0, settings); // 1000
      health.endPassiveEjection();
      health.ejectPassively(1000, settings); // 2000
      health.endPassiveEjection();
      // Back at 3000; one full maxEjectionMs (8000) healthy takes one step off the next length.
      expect(health.ejectPassively(3000 + 8000, settings)).toBe(2000);
      health.endPassiveEjection();
      expect(health.ejectPassively(13_000 + 100_000, settings)).toBe(1000);
    });

    it('resets the failure count and reports the ejection end', () => {
      const health = new TargetHealth();
      health.consecutiveFailures = 5;
      health.ejectPassively(500, settings);
      expect(health.consecutiveFailures).toBe(0);
      expect(health.ejectedUntil).toBe(1500);
      expect(health.isEjected(1499)).toBe(true);
      expect(health.isEjected(1500)).toBe(false);
    });
  });

  describe('ejectByProbe', () => {
    it('stays ejected until restored, whatever the clock says', () => {
      const health = new TargetHealth();
      health.ejectByProbe();
      expect(health.isEjected(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(health.isPassivelyEjected(0)).toBe(false);
      health.restoreNow(10);
      expect(health.isEjected(10)).toBe(false);
    });
  });
});
