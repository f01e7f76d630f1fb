import { MeshConfigError } from '@toskamesh/common';
import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';

/** Gauge value of each circuit state (`toskamesh_resilience_circuit_state`). */
export const CIRCUIT_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

/** `outcome` label values of `toskamesh_resilience_retries_total`. */
export type RetryOutcome = 'retry' | 'recovered' | 'exhausted' | 'budget_exhausted';

/**
 * The Prometheus metrics of this package on one registry. Building it twice on the same registry (two modules,
 * two tests in one process) reuses the metrics already there instead of failing on duplicate registration.
 */
export class ResilienceMetrics {
  /** `toskamesh_resilience_circuit_state{target}`: 0 closed, 1 half-open, 2 open. */
  readonly circuitState: Gauge<'target'>;
  /** `toskamesh_resilience_circuit_transitions_total{target,to}`. */
  readonly circuitTransitions: Counter<'target' | 'to'>;
  /** `toskamesh_resilience_retries_total{target,outcome}`. */
  readonly retries: Counter<'target' | 'outcome'>;

  constructor(readonly registry: Registry = globalRegister) {
    this.circuitState = reuse(registry, Gauge, {
      name: 'toskamesh_resilience_circuit_state',
      help: 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open',
      labelNames: ['target'],
    });
    this.circuitTransitions = reuse(registry, Counter, {
      name: 'toskamesh_resilience_circuit_transitions_total',
      help: 'Circuit breaker state changes per target and new state',
      labelNames: ['target', 'to'],
    });
    this.retries = reuse(registry, Counter, {
      name: 'toskamesh_resilience_retries_total',
      help: 'Retry decisions per target: retry, recovered, exhausted, budget_exhausted',
      labelNames: ['target', 'outcome'],
    });
  }
}

type MetricClass<M, L extends string> = new (config: {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}) => M;

function reuse<M, L extends string>(
  registry: Registry,
  type: MetricClass<M, L>,
  config: { name: string; help: string; labelNames: readonly L[] },
): M {
  const existing = registry.getSingleMetric(config.name);
  if (existing === undefined) return new type({ ...config, registers: [registry] });
  const wanted = `a ${type.name} with labels [${config.labelNames.join(', ')}]`;
  if (!(existing instanceof type))
    throw new MeshConfigError('metricsRegistry', `already holds "${config.name}" as another metric type`, {
      allowed: wanted,
    });
  const labels = (existing as { labelNames?: readonly string[] }).labelNames ?? [];
  if ([...labels].sort().join() !== [...config.labelNames].sort().join())
    throw new MeshConfigError('metricsRegistry', `already holds "${config.name}" with other labels`, {
      value: labels,
      allowed: wanted,
    });
  return existing;
}
