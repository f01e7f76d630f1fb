import type { Logger } from 'pino';

/** What one access-log line says about a proxied (or refused) request. */
export interface AccessLogEntry {
  method: string;
  /** Path without the query (queries can carry tokens). */
  path: string;
  status: number;
  /** Milliseconds from receiving the request to the end of the response. */
  durationMs: number;
  /** Pool name (service or static route), or `(none)`; not `service`, which names the gateway itself. */
  upstreamService: string;
  /** Id of the instance / URL of the static upstream that answered, when one did. */
  target?: string;
  /** Attempts sent upstream (retries included). */
  attempts: number;
  correlationId: string;
  clientIp: string;
  /** Why the gateway answered itself (`unknown-service`, `rate-limited`, `connect`, ...). */
  reason?: string;
}

/** Minimal logger surface the access log writes through (pino's). */
export type AccessLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * One JSON line per request through the telemetry logger (pino): 5xx at error, 4xx at warn, the rest at
 * info, like the access log of `@toskamesh/telemetry`. Off (`accessLog: false`) it costs one branch.
 */
export class AccessLog {
  constructor(private readonly logger: AccessLogger | undefined) {}

  get enabled(): boolean {
    return this.logger !== undefined;
  }

  write(entry: AccessLogEntry): void {
    const logger = this.logger;
    if (logger === undefined) return;
    if (entry.status >= 500) logger.error(entry, 'request completed');
    else if (entry.status >= 400) logger.warn(entry, 'request completed');
    else logger.info(entry, 'request completed');
  }
}

/** `url` without its query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
