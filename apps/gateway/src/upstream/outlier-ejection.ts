import type { LoggerService } from '@nestjs/common';
import type { TargetHealth, EjectionSettings } from './target-health.js';
import type { UpstreamEventListener } from './upstream-events.js';
import type { AttemptResult } from './upstream-pool.js';

/** What {@link OutlierEjection} needs from the pool it works for. */
export interface EjectionScope {
  /** Pool name, for logs and events. */
  readonly name: string;
  /** True when `targetId` is available and no other target is. */
  isLastAvailable(targetId: string): boolean;
  /** The pool's cached list of available targets is stale. */
  invalidate(): void;
}

/** Active-probe settings that decide probe ejections. */
export interface ProbeEjectionSettings {
  /** Consecutive failed probes that eject a target. */
  readonly unhealthyThreshold: number;
  /** Reported as `forMs` of a probe ejection: the earliest a passing probe can bring it back. */
  readonly intervalMs: number;
}

/** Collaborators of {@link OutlierEjection}. */
export interface OutlierEjectionDeps {
  readonly now: () => number;
  readonly logger: Pick<LoggerService, 'log' | 'warn'>;
  readonly events?: UpstreamEventListener;
}

/**
 * Passive outlier ejection (and the probe verdicts) of one pool. `consecutiveFailures` failed attempts in
 * a row eject a target for a back-off that doubles per repeat (see {@link TargetHealth.ejectPassively}).
 * It never takes the last available target out of rotation: a pool with one sick instance left still
 * tries it (a failed request beats a certain 503), and says so in a warning instead.
 */
export class OutlierEjection {
  constructor(
    private readonly scope: EjectionScope,
    private readonly settings: EjectionSettings,
    private readonly probes: ProbeEjectionSettings,
    private readonly deps: OutlierEjectionDeps,
  ) {}

  /** Counts one finished attempt; `aborted` (the client left) counts neither way. */
  recordAttempt(targetId: string, health: TargetHealth, result: AttemptResult): void {
    if (result.outcome === 'success') {
      health.consecutiveFailures = 0;
      health.onProbation = false;
      return;
    }
    if (result.outcome !== 'failure') return;
    health.consecutiveFailures += 1;
    const threshold = health.onProbation ? 1 : this.settings.consecutiveFailures;
    if (health.consecutiveFailures < threshold) return;
    const now = this.deps.now();
    // Attempts started before an ejection still finish during it; they must not extend it.
    if (health.isEjected(now)) return;
    if (this.scope.isLastAvailable(targetId)) {
      health.consecutiveFailures = 0;
      this.keepLastAvailable(
        targetId,
        health,
        now,
        `${this.settings.consecutiveFailures} consecutive failures`,
      );
      return;
    }
    const forMs = health.ejectPassively(now, this.settings);
    this.scope.invalidate();
    this.deps.logger.warn(
      `Ejected target "${targetId}" of "${this.scope.name}" for ${forMs} ms after ` +
        `${threshold === 1 ? 'failing again on probation' : `${threshold} consecutive failures`} ` +
        `(ejection #${health.ejections}).`,
    );
    this.deps.events?.ejected?.(this.scope.name, targetId, forMs, false);
  }

  /** Counts one active probe: `unhealthyThreshold` failures in a row eject, one pass restores. */
  recordProbe(targetId: string, health: TargetHealth, healthy: boolean): void {
    if (healthy) {
      health.probeFailures = 0;
      if (!health.probeDown) return;
      health.probeDown = false;
      this.scope.invalidate();
      this.deps.logger.log(
        `Target "${targetId}" of "${this.scope.name}" passed its probe; back in rotation.`,
      );
      if (!health.isEjected(this.deps.now())) this.deps.events?.restored?.(this.scope.name, targetId);
      return;
    }
    health.probeFailures += 1;
    if (health.probeDown || health.probeFailures < this.probes.unhealthyThreshold) return;
    if (this.scope.isLastAvailable(targetId)) {
      health.probeFailures = 0;
      this.keepLastAvailable(
        targetId,
        health,
        this.deps.now(),
        `${this.probes.unhealthyThreshold} failed probes`,
      );
      return;
    }
    health.ejectByProbe();
    this.scope.invalidate();
    this.deps.logger.warn(
      `Ejected target "${targetId}" of "${this.scope.name}" after ${this.probes.unhealthyThreshold} failed ` +
        `probes; it returns when a probe passes.`,
    );
    this.deps.events?.ejected?.(this.scope.name, targetId, this.probes.intervalMs, false);
  }

  /** Reports a target whose ejection time passed (the pool notices it lazily, on its next pick). */
  recordRestored(targetId: string, health: TargetHealth): void {
    health.endPassiveEjection();
    if (health.probeDown) return;
    this.deps.logger.log(`Target "${targetId}" of "${this.scope.name}" is back in rotation.`);
    this.deps.events?.restored?.(this.scope.name, targetId);
  }

  /**
   * Would-be ejection of the last available target: it stays, the event says so, and a warning is
   * logged — at most once per `baseEjectionMs` per target, with a count of the ones held back, so a dead
   * lone instance under load cannot flood the log.
   */
  private keepLastAvailable(targetId: string, health: TargetHealth, now: number, why: string): void {
    this.deps.events?.ejected?.(this.scope.name, targetId, 0, true);
    if (now - health.lastRefusalWarningAt < this.settings.baseEjectionMs) {
      health.suppressedRefusals += 1;
      return;
    }
    const repeats =
      health.suppressedRefusals > 0 ? ` (${health.suppressedRefusals} more times since last warning)` : '';
    health.lastRefusalWarningAt = now;
    health.suppressedRefusals = 0;
    this.deps.logger.warn(
      `Target "${targetId}" of "${this.scope.name}" reached ${why} but is the last available target; ` +
        `keeping it in rotation instead of ejecting it${repeats}.`,
    );
  }
}
