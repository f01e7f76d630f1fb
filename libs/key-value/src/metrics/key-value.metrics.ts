import { DEFAULT_DURATION_BUCKETS, getOrCreateCounter, getOrCreateHistogram } from '@toskamesh/telemetry';
import type { Counter, Histogram } from 'prom-client';

/** Counter of store operations: `{provider, operation, outcome}`, outcome `success` or `error`. */
export const KV_OPERATIONS_TOTAL = 'toskamesh_kv_operations_total';
/** Histogram of store operation durations in seconds: `{provider, operation}`. */
export const KV_OPERATION_DURATION_SECONDS = 'toskamesh_kv_operation_duration_seconds';

/** The `operation` label values, one per `KeyValueStore` method. */
export type KeyValueOperation = 'get' | 'set' | 'delete' | 'get_many' | 'keys' | 'entries';

/** How an operation ended. */
export type KeyValueOutcome = 'success' | 'error';

/** The key/value instruments on prom-client's global registry, shared with every other store in the process. */
export interface KeyValueMetrics {
  readonly operations: Counter<'provider' | 'operation' | 'outcome'>;
  readonly duration: Histogram<'provider' | 'operation'>;
}

/** Returns the instruments, registering them on first use (an existing registration is reused). */
export function keyValueMetrics(): KeyValueMetrics {
  return {
    operations: getOrCreateCounter({
      name: KV_OPERATIONS_TOTAL,
      help: 'Key/value store operations, by provider, operation and outcome (success or error).',
      labelNames: ['provider', 'operation', 'outcome'],
    }),
    duration: getOrCreateHistogram({
      name: KV_OPERATION_DURATION_SECONDS,
      help: 'Key/value store operation duration in seconds (entries: time spent fetching pages).',
      labelNames: ['provider', 'operation'],
      buckets: [...DEFAULT_DURATION_BUCKETS],
    }),
  };
}
