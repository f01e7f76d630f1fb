import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { CLIENT_CLOSED_STATUS, HttpMetrics, isUnmetered, methodLabel } from './http-metrics.js';
import { rememberMiddlewareRoute, routeLabel, type RoutedRequest } from './route-label.js';

/**
 * Records RED metrics when the response is done, so the status is the final one: errors thrown by
 * handlers, guards or pipes are counted with the status the exception filter wrote, and 404s without
 * a route as `route="unmatched"`. The route label is read then, after the router matched.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: HttpMetrics) {}

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const startedAt = process.hrtime.bigint();
    const method = methodLabel(req.method);
    const routed = req as IncomingMessage & RoutedRequest;
    rememberMiddlewareRoute(routed);
    this.metrics.active.inc({ method });
    let recorded = false;
    const done = (): void => {
      if (recorded) return;
      recorded = true;
      res.off('finish', done);
      res.off('close', done);
      this.metrics.active.dec({ method });
      if (isUnmetered(res)) return;
      const status = res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_STATUS;
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      this.metrics.observe(method, routeLabel(routed), status, seconds);
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  }
}
