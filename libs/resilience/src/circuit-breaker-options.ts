import { isMeshError } from '@toskamesh/common';
import { checkFunction, checkNumber } from './config-checks.js';

/**
 * Settings of one circuit breaker (opossum underneath, same option names). The defaults are the gateway's:
 * open at >= 50 % failures over >= 20 requests in a 10 s window, probe again after 10 s. The .NET original's
 * unused Polly breaker maps as FailureRatio 0.5 -> 50, SamplingDuration -> rollingCountTimeout,
 * MinimumThroughput -> volumeThreshold, BreakDuration -> resetTimeout.
 */
export interface CircuitBreakerOptions {
  /** Length of the rolling window in which requests and failures are counted, in ms. @default 10000 */
  rollingCountTimeout?: number;
  /** Buckets the window is cut into; it slides one bucket at a time. @default 10 */
  rollingCountBuckets?: number;
  /**
   * Opens when failures reach this percentage of the requests in the window (`>=`; opossum itself uses `>`,
   * so 10 failures of 20 would not open it at 50). @default 50
   */
  errorThresholdPercentage?: number;
  /** Requests needed in the window before the breaker may open at all. @default 20 */
  volumeThreshold?: number;
  /** How long the breaker stays open before it lets one probe through (half-open), in ms. @default 10000 */
  resetTimeout?: number;
  /**
   * Returns `true` for an error that must NOT count as a failure (opossum's semantics): the call still
   * rejects with it, but the upstream is considered alive. @default defaultErrorFilter
   */
  errorFilter?: (error: unknown) => boolean;
}

/** {@link CircuitBreakerOptions} with every default filled in. */
export type ResolvedCircuitBreakerOptions = Required<CircuitBreakerOptions>;

/** HTTP statuses that say "the upstream is overloaded or slow" although they are 4xx. */
const OVERLOAD_STATUSES = new Set([408, 429]);
/** Refusals produced on this side of the wire, which say nothing about the upstream. */
const LOCAL_REJECTIONS = new Set(['MESH_RESILIENCE_BULKHEAD_FULL', 'MESH_RESILIENCE_CIRCUIT_OPEN']);

/**
 * The default {@link CircuitBreakerOptions.errorFilter}: a 4xx answer (the caller's mistake: 404, 401, 409 ...)
 * and a local bulkhead or inner-breaker refusal do not count; 408/429, 5xx, timeouts and connection errors do.
 * The status is read from `status`, `statusCode` or `details.status` of the error.
 */
export function defaultErrorFilter(error: unknown): boolean {
  if (isMeshError(error) && LOCAL_REJECTIONS.has(error.code)) return true;
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400 && status < 500 && !OVERLOAD_STATUSES.has(status);
}

/** The HTTP status an error carries, if any (undici `statusCode`, fetch-style `status`, MeshError details). */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { status?: unknown; statusCode?: unknown; details?: { status?: unknown } };
  const status = record.status ?? record.statusCode ?? record.details?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Defaults of every breaker unless the registry or a target overrides them. */
export const CIRCUIT_BREAKER_DEFAULTS: Readonly<ResolvedCircuitBreakerOptions> = Object.freeze({
  rollingCountTimeout: 10_000,
  rollingCountBuckets: 10,
  errorThresholdPercentage: 50,
  volumeThreshold: 20,
  resetTimeout: 10_000,
  errorFilter: defaultErrorFilter,
});

/** Throws a `MeshConfigError` naming `key.<field>` for the first option out of range. */
export function checkCircuitBreakerOptions(key: string, options: CircuitBreakerOptions = {}): void {
  checkNumber(`${key}.rollingCountTimeout`, options.rollingCountTimeout, { min: 1, integer: true });
  checkNumber(`${key}.rollingCountBuckets`, options.rollingCountBuckets, { min: 1, integer: true });
  checkNumber(`${key}.errorThresholdPercentage`, options.errorThresholdPercentage, {
    min: 0,
    minExclusive: true,
    max: 100,
  });
  checkNumber(`${key}.volumeThreshold`, options.volumeThreshold, { min: 0, integer: true });
  checkNumber(`${key}.resetTimeout`, options.resetTimeout, { min: 1, integer: true });
  checkFunction(`${key}.errorFilter`, options.errorFilter);
}

/** Merges option layers (later wins, `undefined` never overrides) over {@link CIRCUIT_BREAKER_DEFAULTS}. */
export function resolveCircuitBreakerOptions(
  ...layers: (CircuitBreakerOptions | undefined)[]
): ResolvedCircuitBreakerOptions {
  const resolved: ResolvedCircuitBreakerOptions = { ...CIRCUIT_BREAKER_DEFAULTS };
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {}))
      if (value !== undefined) Object.assign(resolved, { [name]: value });
  }
  return resolved;
}
