import type { Counter, Gauge, Histogram } from 'prom-client';
import {
  DEFAULT_DURATION_BUCKETS,
  getOrCreateCounter,
  getOrCreateGauge,
  getOrCreateHistogram,
} from '@toskamesh/telemetry';
import { CounterCell, flushAll, GaugeCell, registerFlushable, type Labels } from './metric-cells.js';

/** Names of the gateway's metrics (breaker state is `toskamesh_resilience_circuit_state`). */
export const GATEWAY_METRICS = {
  requests: 'toskamesh_gateway_requests_total',
  duration: 'toskamesh_gateway_request_duration_seconds',
  upstreamErrors: 'toskamesh_gateway_upstream_errors_total',
  retries: 'toskamesh_gateway_retries_total',
  ejections: 'toskamesh_gateway_ejections_total',
  inFlight: 'toskamesh_gateway_in_flight',
  rateLimited: 'toskamesh_gateway_rate_limited_total',
} as const;

/** `service` label of requests that reached no upstream pool (bad path, unknown service). */
export const NO_SERVICE = '(none)';

/** Methods kept as label values; anything else is `OTHER`, so clients cannot grow the series. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);

const statusText: string[] = [];
function statusLabel(status: number): string {
  return (statusText[status] ??= String(status));
}

interface Instruments {
  requests: Counter;
  duration: Histogram;
  upstreamErrors: Counter;
  retries: Counter;
  ejections: Counter;
  inFlight: Gauge;
  rateLimited: Counter;
}

function instruments(): Instruments {
  const collect = flushAll;
  return {
    requests: getOrCreateCounter({
      name: GATEWAY_METRICS.requests,
      help: 'Requests through the gateway proxy by service, method and status',
      labelNames: ['service', 'method', 'status'],
      collect,
    }),
    duration: getOrCreateHistogram({
      name: GATEWAY_METRICS.duration,
      help: 'Time from receiving a proxied request to the end of its response, in seconds',
      labelNames: ['service', 'status'],
      buckets: [...DEFAULT_DURATION_BUCKETS],
    }),
    upstreamErrors: getOrCreateCounter({
      name: GATEWAY_METRICS.upstreamErrors,
      help: 'Proxied requests that failed upstream, by kind (connect, reset, timeout, breaker-open, ...)',
      labelNames: ['service', 'kind'],
      collect,
    }),
    retries: getOrCreateCounter({
      name: GATEWAY_METRICS.retries,
      help: 'Retries of idempotent requests on another instance, by reason',
      labelNames: ['service', 'reason'],
      collect,
    }),
    ejections: getOrCreateCounter({
      name: GATEWAY_METRICS.ejections,
      help: 'Instances taken out of rotation by passive or active health checks',
      labelNames: ['service'],
      collect,
    }),
    inFlight: getOrCreateGauge({
      name: GATEWAY_METRICS.inFlight,
      help: 'Proxied requests in progress',
      labelNames: ['service'],
      collect,
    }),
    rateLimited: getOrCreateCounter({
      name: GATEWAY_METRICS.rateLimited,
      help: 'Requests refused with 429 by the rate limiter',
      labelNames: ['service'],
      collect,
    }),
  };
}

/** The series of one service (or static route): label objects built once, counts kept in cells. */
export class ServiceSeries {
  private readonly requests = new Map<string, Map<number, CounterCell>>();
  private readonly durations = new Map<number, Labels>();
  private readonly errors = new Map<string, CounterCell>();
  private readonly retryCells = new Map<string, CounterCell>();
  private readonly inFlightCell: GaugeCell;
  private readonly ejectionCell: CounterCell;
  private readonly rateLimitedCell: CounterCell;

  constructor(
    readonly service: string,
    private readonly metrics: Instruments,
  ) {
    this.inFlightCell = new GaugeCell({ service });
    this.ejectionCell = new CounterCell({ service });
    this.rateLimitedCell = new CounterCell({ service });
  }

  started(): void {
    this.inFlightCell.value += 1;
  }

  /** One finished request: counts it, observes its duration and ends its in-flight count when `started`. */
  finished(method: string, status: number, seconds: number, started: boolean): void {
    if (started) this.inFlightCell.value -= 1;
    const methodLabel = METHODS.has(method) ? method : 'OTHER';
    let byStatus = this.requests.get(methodLabel);
    if (byStatus === undefined) this.requests.set(methodLabel, (byStatus = new Map()));
    let cell = byStatus.get(status);
    if (cell === undefined) {
      cell = new CounterCell({ service: this.service, method: methodLabel, status: statusLabel(status) });
      byStatus.set(status, cell);
    }
    cell.inc();
    let labels = this.durations.get(status);
    if (labels === undefined) {
      labels = Object.freeze({ service: this.service, status: statusLabel(status) });
      this.durations.set(status, labels);
    }
    this.metrics.duration.observe(labels, seconds);
  }

  upstreamError(kind: string): void {
    this.cell(this.errors, 'kind', kind).inc();
  }

  retry(reason: string): void {
    this.cell(this.retryCells, 'reason', reason).inc();
  }

  ejected(): void {
    this.ejectionCell.inc();
  }

  rateLimited(): void {
    this.rateLimitedCell.inc();
  }

  flush(): void {
    const { metrics } = this;
    for (const byStatus of this.requests.values())
      for (const cell of byStatus.values()) cell.flushTo(metrics.requests);
    for (const cell of this.errors.values()) cell.flushTo(metrics.upstreamErrors);
    for (const cell of this.retryCells.values()) cell.flushTo(metrics.retries);
    this.ejectionCell.flushTo(metrics.ejections);
    this.rateLimitedCell.flushTo(metrics.rateLimited);
    this.inFlightCell.flushTo(metrics.inFlight);
  }

  private cell(map: Map<string, CounterCell>, label: string, value: string): CounterCell {
    let cell = map.get(value);
    if (cell === undefined) {
      cell = new CounterCell({ service: this.service, [label]: value });
      map.set(value, cell);
    }
    return cell;
  }
}

/**
 * The gateway's Prometheus metrics in prom-client's global registry. Per request it touches only
 * cached {@link ServiceSeries} objects: counters and gauges are plain numbers flushed into prom-client
 * when scraped (each metric's `collect` hook), the histogram gets a label object built once per
 * service and status. Label values are bounded: services the registry knows, methods from a fixed list.
 */
export class GatewayMetrics {
  private readonly metrics = instruments();
  private readonly byService = new Map<string, ServiceSeries>();
  private readonly unregister = registerFlushable(this);

  /** The series of `service` (a pool name, or {@link NO_SERVICE}). */
  series(service: string): ServiceSeries {
    let series = this.byService.get(service);
    if (series === undefined) {
      series = new ServiceSeries(service, this.metrics);
      this.byService.set(service, series);
    }
    return series;
  }

  /** Brings every count into prom-client (runs before each scrape). */
  flush(): void {
    for (const series of this.byService.values()) series.flush();
  }

  /** Flushes a last time and stops taking part in scrapes. */
  close(): void {
    this.flush();
    this.unregister();
  }
}
