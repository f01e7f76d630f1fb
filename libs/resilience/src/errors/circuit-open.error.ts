import { MeshError } from '@toskamesh/common';

/** State of a circuit breaker as reported in errors, snapshots and metrics. */
export type CircuitState = 'closed' | 'half-open' | 'open';

/**
 * A call was refused without being attempted because the target's circuit breaker is open (or half-open with
 * its single probe still in flight). Retryable: `retryAfterMs` says when the breaker lets a probe through.
 */
export class CircuitOpenError extends MeshError {
  constructor(
    readonly target: string,
    readonly retryAfterMs: number,
    readonly state: CircuitState = 'open',
  ) {
    super(
      'MESH_RESILIENCE_CIRCUIT_OPEN',
      `Circuit breaker for "${target}" is ${state}; calls are refused for another ${retryAfterMs} ms`,
      { retryable: true, details: { target, state, retryAfterMs } },
    );
  }
}
