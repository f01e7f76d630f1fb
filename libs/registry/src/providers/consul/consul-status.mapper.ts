import { HEALTH_STATUSES, type HealthStatus } from '@toskamesh/common';
import type { ConsulCheck } from './consul.types.js';

/** Prefix of the note every heartbeat writes into the TTL check's output. */
export const STATUS_NOTE_PREFIX = 'toskamesh status: ';

/** TTL-check verb for a status. Consul has no "unknown": it is a warning whose note says Unknown. */
export function ttlVerb(status: HealthStatus): 'pass' | 'warn' | 'fail' {
  if (status === 'Healthy') return 'pass';
  return status === 'Unhealthy' ? 'fail' : 'warn';
}

/** The note a heartbeat with `status` writes (Consul copies it into the check's `Output`). */
export function statusNote(status: HealthStatus): string {
  return `${STATUS_NOTE_PREFIX}${status}`;
}

/**
 * The status a heartbeat last set, read back from a TTL check's output. Consul keeps that output when
 * the TTL lapses ("TTL expired (last output before timeout follows): toskamesh status: Degraded"),
 * so the status survives a lapse and another process can renew it unchanged.
 */
export function reportedStatus(output: string | undefined): HealthStatus | undefined {
  if (!output) return undefined;
  const at = output.lastIndexOf(STATUS_NOTE_PREFIX);
  if (at < 0) return undefined;
  const word = output.slice(at + STATUS_NOTE_PREFIX.length).split(/\s/)[0];
  return HEALTH_STATUSES.find((status) => status === word);
}

/**
 * One check's contribution. A check that is not passing and has never produced output has not run yet
 * (a TTL check before its first update, an HTTP check before its first probe): it counts as Unknown.
 */
export function checkHealth(check: ConsulCheck): HealthStatus {
  const output = check.Output ?? '';
  switch (check.Status) {
    case 'passing':
      return 'Healthy';
    case 'maintenance':
      return 'Unhealthy';
    case 'critical':
      return output === '' ? 'Unknown' : 'Unhealthy';
    case 'warning':
      return output === '' || reportedStatus(output) === 'Unknown' ? 'Unknown' : 'Degraded';
    default:
      return 'Unknown';
  }
}

/**
 * An instance's status from all its checks (node checks included), as the .NET original maps them:
 * none -> Unknown; any critical or maintenance -> Unhealthy; else any warning -> Degraded; all passing ->
 * Healthy; anything not yet reported -> Unknown.
 */
export function aggregateHealth(checks: readonly ConsulCheck[]): HealthStatus {
  if (checks.length === 0) return 'Unknown';
  const states = new Set(checks.map(checkHealth));
  if (states.has('Unhealthy')) return 'Unhealthy';
  if (states.has('Degraded')) return 'Degraded';
  if (states.has('Unknown')) return 'Unknown';
  return 'Healthy';
}
