import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';

/** The ejection settings of one pool. */
export type EjectionSettings = ResolvedUpstreamPolicy['ejection'];

/**
 * Health bookkeeping of one target: consecutive failures, passive ejection with a growing back-off and
 * the active-probe verdict. Pools keep it per target id, so it survives re-syncs of the target list.
 * It only does arithmetic; deciding whether an ejection is allowed is {@link OutlierEjection}'s job.
 */
export class TargetHealth {
  /** Failed attempts in a row (connect/reset/timeout/5xx); a success resets it. */
  consecutiveFailures = 0;
  /** When a passive ejection ends (epoch ms); 0 when not passively ejected. */
  ejectedUntil = 0;
  /** Failed active probes in a row. */
  probeFailures = 0;
  /** Out of rotation because probes failed; only a passing probe clears it. */
  probeDown = false;
  /**
   * Back from a passive ejection and not yet proven healthy: its first failure ejects it again at once
   * (with a longer back-off) instead of after `consecutiveFailures` more requests to a still-dead target.
   */
  onProbation = false;
  /** Ejections so far (passive and probe), for the admin API. */
  ejections = 0;
  /** Last "kept the last available target" warning (epoch ms), to keep the log readable under load. */
  lastRefusalWarningAt = -Infinity;
  /** Refusals not logged since {@link lastRefusalWarningAt}. */
  suppressedRefusals = 0;
  /** Back-off exponent: the next passive ejection lasts `base * 2^level` (capped). */
  private level = 0;
  /** When the last passive ejection ended (epoch ms), for the decay of {@link level}. */
  private healthySince = 0;

  /** True while the target must get no traffic. */
  isEjected(now: number): boolean {
    return this.probeDown || this.ejectedUntil > now;
  }

  /** True when a passive ejection is in force at `now`. */
  isPassivelyEjected(now: number): boolean {
    return this.ejectedUntil > now;
  }

  /**
   * Starts a passive ejection and returns its length: `baseEjectionMs` doubled per ejection that followed
   * recently, capped at `maxEjectionMs`. The doubling decays by one step per `maxEjectionMs` the target
   * then stays in rotation, so an old incident does not lengthen a new ejection forever.
   */
  ejectPassively(now: number, settings: EjectionSettings): number {
    if (this.level > 0 && this.healthySince > 0) {
      const steps = Math.floor((now - this.healthySince) / Math.max(1, settings.maxEjectionMs));
      this.level = Math.max(0, this.level - steps);
    }
    const forMs = Math.min(settings.baseEjectionMs * 2 ** this.level, settings.maxEjectionMs);
    // Stop growing at the cap so 2^level can never overflow into Infinity.
    if (forMs < settings.maxEjectionMs) this.level += 1;
    this.ejectedUntil = now + forMs;
    this.consecutiveFailures = 0;
    this.onProbation = false;
    this.ejections += 1;
    return forMs;
  }

  /** Ends a passive ejection whose time has passed; the target comes back with a clean failure count. */
  endPassiveEjection(): void {
    this.healthySince = this.ejectedUntil;
    this.ejectedUntil = 0;
    this.consecutiveFailures = 0;
    this.onProbation = true;
  }

  /** Takes the target out of rotation until a probe passes. */
  ejectByProbe(): void {
    this.probeDown = true;
    this.probeFailures = 0;
    this.ejections += 1;
  }

  /** Puts the target back at once, whatever ejected it (used when nothing else is left). */
  restoreNow(now: number): void {
    if (this.ejectedUntil > 0) this.healthySince = now;
    this.ejectedUntil = 0;
    this.probeDown = false;
    this.consecutiveFailures = 0;
    this.probeFailures = 0;
    this.onProbation = false;
  }
}
