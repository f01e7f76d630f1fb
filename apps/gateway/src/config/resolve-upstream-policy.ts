import { LOAD_BALANCING_STRATEGIES, MeshConfigError } from '@toskamesh/common';
import type { UpstreamPolicy } from './gateway-options.js';
import {
  boolOption,
  choiceOption,
  headerNameItem,
  intOption,
  listOption,
  msOption,
  numberOption,
  optionKey,
} from './option-checks.js';
import type { ResolvedUpstreamPolicy } from './resolved-gateway-options.js';

/** Defaults of {@link UpstreamPolicy} (issue §9: eject after 5 failures, breaker ≥ 50 % of ≥ 20 in 10 s). */
export const UPSTREAM_DEFAULTS: ResolvedUpstreamPolicy = {
  connectTimeoutMs: 2000,
  requestTimeoutMs: 30_000,
  strategy: 'PowerOfTwoChoices',
  hashHeaders: ['x-hash-key', 'x-session-id'],
  retry: {
    maxRetries: 2,
    budgetRatio: 0.2,
    minRetriesPerSecond: 10,
    replayBufferBytes: 65_536,
    retryOnStatuses: [502, 503],
  },
  ejection: { consecutiveFailures: 5, baseEjectionMs: 5000, maxEjectionMs: 60_000 },
  breaker: { enabled: true, failureThreshold: 0.5, minimumRequests: 20, windowMs: 10_000, openMs: 10_000 },
};

/** Largest replay buffer per request: beyond this a body streams and the request is not retried. */
const MAX_REPLAY_BYTES = 64 * 1024 * 1024;

/**
 * {@link UpstreamPolicy} at option path `at` (`upstream` or `services.<name>`) with defaults applied and
 * every value checked; throws `MeshConfigError` naming the option and its variable.
 */
export function resolveUpstreamPolicy(at: string, policy: UpstreamPolicy = {}): ResolvedUpstreamPolicy {
  const d = UPSTREAM_DEFAULTS;
  const { retry = {}, ejection = {}, breaker = {} } = policy;
  const resolved: ResolvedUpstreamPolicy = {
    connectTimeoutMs: msOption(`${at}.connectTimeoutMs`, policy.connectTimeoutMs, d.connectTimeoutMs),
    requestTimeoutMs: msOption(`${at}.requestTimeoutMs`, policy.requestTimeoutMs, d.requestTimeoutMs),
    strategy: choiceOption(`${at}.strategy`, policy.strategy, d.strategy, LOAD_BALANCING_STRATEGIES),
    hashHeaders: listOption(`${at}.hashHeaders`, policy.hashHeaders, d.hashHeaders, headerNameItem),
    retry: {
      maxRetries: intOption(`${at}.retry.maxRetries`, retry.maxRetries, d.retry.maxRetries, 0, 10),
      budgetRatio: numberOption(`${at}.retry.budgetRatio`, retry.budgetRatio, d.retry.budgetRatio, 0, 1),
      minRetriesPerSecond: intOption(
        `${at}.retry.minRetriesPerSecond`,
        retry.minRetriesPerSecond,
        d.retry.minRetriesPerSecond,
        0,
        100_000,
      ),
      replayBufferBytes: intOption(
        `${at}.retry.replayBufferBytes`,
        retry.replayBufferBytes,
        d.retry.replayBufferBytes,
        0,
        MAX_REPLAY_BYTES,
      ),
      retryOnStatuses: listOption(
        `${at}.retry.retryOnStatuses`,
        retry.retryOnStatuses,
        d.retry.retryOnStatuses,
        (path, value) => intOption(path, value, 0, 500, 599),
      ),
    },
    ejection: {
      consecutiveFailures: intOption(
        `${at}.ejection.consecutiveFailures`,
        ejection.consecutiveFailures,
        d.ejection.consecutiveFailures,
        1,
        10_000,
      ),
      baseEjectionMs: msOption(
        `${at}.ejection.baseEjectionMs`,
        ejection.baseEjectionMs,
        d.ejection.baseEjectionMs,
      ),
      maxEjectionMs: msOption(
        `${at}.ejection.maxEjectionMs`,
        ejection.maxEjectionMs,
        d.ejection.maxEjectionMs,
      ),
    },
    breaker: {
      enabled: boolOption(`${at}.breaker.enabled`, breaker.enabled, d.breaker.enabled),
      failureThreshold: numberOption(
        `${at}.breaker.failureThreshold`,
        breaker.failureThreshold,
        d.breaker.failureThreshold,
        0.01,
        1,
      ),
      minimumRequests: intOption(
        `${at}.breaker.minimumRequests`,
        breaker.minimumRequests,
        d.breaker.minimumRequests,
        1,
        1_000_000,
      ),
      windowMs: msOption(`${at}.breaker.windowMs`, breaker.windowMs, d.breaker.windowMs, 100),
      openMs: msOption(`${at}.breaker.openMs`, breaker.openMs, d.breaker.openMs),
    },
  };
  if (resolved.ejection.maxEjectionMs < resolved.ejection.baseEjectionMs) {
    throw new MeshConfigError(optionKey(`${at}.ejection.maxEjectionMs`), 'must be >= baseEjectionMs', {
      value: resolved.ejection.maxEjectionMs,
      allowed: `>= ${resolved.ejection.baseEjectionMs}`,
    });
  }
  return resolved;
}
