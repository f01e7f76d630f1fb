import type { ServerResponse } from 'node:http';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from './metric-factory.js';

/** Counter of finished HTTP requests. */
export const HTTP_REQUESTS_TOTAL = 'http_server_requests_total';
/** Histogram of HTTP request durations in seconds (what the dashboards of the .NET original query). */
export const HTTP_REQUEST_DURATION_SECONDS = 'http_server_request_duration_seconds';
/** Gauge of requests in flight. */
export const HTTP_ACTIVE_REQUESTS = 'http_server_active_requests';

/** Status label of a request whose client went away before the response finished (nginx's convention). */
export const CLIENT_CLOSED_STATUS = '499';

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

const UNMETERED = Symbol.for('toskamesh.telemetry.unmetered');

type RedLabels = 'method' | 'route' | 'status_code';

/** Keeps a response out of the RED metrics (the scrape endpoint marks itself). */
export function markUnmetered(res: object): void {
  (res as { [UNMETERED]?: boolean })[UNMETERED] = true;
}

/** Whether {@link markUnmetered} was called for `res`. */
export function isUnmetered(res: ServerResponse): boolean {
  return (res as { [UNMETERED]?: boolean })[UNMETERED] === true;
}

/** `method` label with bounded cardinality: unknown verbs collapse into `_OTHER` (OTel semconv). */
export function methodLabel(method: string | undefined): string {
  const upper = (method ?? '').toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** The RED instruments, shared with any other registration in this process. */
export class HttpMetrics {
  /** `http_server_requests_total{method,route,status_code}`. */
  readonly requests: Counter<RedLabels>;
  /** `http_server_request_duration_seconds{method,route,status_code}`. */
  readonly duration: Histogram<RedLabels>;
  /** `http_server_active_requests{method}`. */
  readonly active: Gauge<'method'>;

  constructor(durationBuckets: number[]) {
    this.requests = getOrCreateCounter({
      name: HTTP_REQUESTS_TOTAL,
      help: 'HTTP requests handled, by method, matched route pattern and final status code.',
      labelNames: ['method', 'route', 'status_code'],
    });
    this.duration = getOrCreateHistogram({
      name: HTTP_REQUEST_DURATION_SECONDS,
      help: 'Time from request arrival to the last byte of the response, in seconds.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: durationBuckets,
    });
    this.active = getOrCreateGauge({
      name: HTTP_ACTIVE_REQUESTS,
      help: 'HTTP requests being handled right now.',
      labelNames: ['method'],
    });
  }

  /** Records one finished request. */
  observe(method: string, route: string, statusCode: string, seconds: number): void {
    const labels = { method, route, status_code: statusCode };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
