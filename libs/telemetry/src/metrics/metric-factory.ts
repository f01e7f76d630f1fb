import {
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Registry,
  type RegistryContentType,
} from 'prom-client';
import { MetricConflictError } from '../errors/metric-conflict.error.js';

type MetricClass = typeof Counter | typeof Gauge | typeof Histogram;

/**
 * Returns the counter already registered under `config.name` (same type and labels) or registers a
 * new one in prom-client's default registry. Two Nest apps in one process (tests, a hybrid app)
 * then share one series instead of crashing on "already registered".
 */
export function getOrCreateCounter<T extends string>(config: CounterConfiguration<T>): Counter<T> {
  return reuseOrCreate(config, Counter, () => new Counter(config));
}

/** Like {@link getOrCreateCounter}, for histograms (an existing histogram keeps its buckets). */
export function getOrCreateHistogram<T extends string>(config: HistogramConfiguration<T>): Histogram<T> {
  return reuseOrCreate(config, Histogram, () => new Histogram(config));
}

/** Like {@link getOrCreateCounter}, for gauges. */
export function getOrCreateGauge<T extends string>(config: GaugeConfiguration<T>): Gauge<T> {
  return reuseOrCreate(config, Gauge, () => new Gauge(config));
}

function reuseOrCreate<M extends object>(
  config: {
    name: string;
    labelNames?: readonly string[];
    registers?: ReadonlyArray<Registry<RegistryContentType>>;
  },
  type: MetricClass,
  create: () => M,
): M {
  const registry = config.registers?.[0] ?? register;
  const existing = registry.getSingleMetric(config.name);
  if (existing === undefined) return create();
  if (!(existing instanceof type)) {
    throw new MetricConflictError(config.name, `as another type (wanted a ${type.name.toLowerCase()})`);
  }
  const have = [...((existing as { labelNames?: readonly string[] }).labelNames ?? [])].sort();
  const want = [...(config.labelNames ?? [])].sort();
  if (have.join(',') !== want.join(',')) {
    throw new MetricConflictError(config.name, `with labels [${have.join(', ')}], not [${want.join(', ')}]`);
  }
  return existing as M;
}
