import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { register } from 'prom-client';
import { HttpMetrics, markUnmetered, methodLabel } from './http-metrics.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';

type FakeResponse = EventEmitter & { statusCode: number; writableFinished: boolean };
type FakeRequest = { method: string; route?: { path: string } };

function exchange(method = 'GET'): { req: FakeRequest; res: FakeResponse } {
  const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: false });
  return { req: { method, route: { path: '{/*splat}' } }, res };
}

function finish(res: FakeResponse, statusCode: number): void {
  res.statusCode = statusCode;
  res.writableFinished = true;
  res.emit('finish');
  res.emit('close');
}

async function requestCount(labels: Record<string, string>): Promise<number | undefined> {
  const { values } = await new HttpMetrics([1]).requests.get();
  return values.find((value) =>
    Object.entries(labels).every(([k, v]) => (value.labels as Record<string, unknown>)[k] === v),
  )?.value;
}

describe(HttpMetricsMiddleware.name, () => {
  let middleware: HttpMetricsMiddleware;
  let metrics: HttpMetrics;

  beforeEach(() => {
    register.clear();
    metrics = new HttpMetrics([0.01, 0.1, 1]);
    middleware = new HttpMetricsMiddleware(metrics);
  });

  function run(req: FakeRequest, res: FakeResponse): jest.Mock {
    const next = jest.fn();
    middleware.use(req as unknown as IncomingMessage, res as unknown as ServerResponse, next);
    return next;
  }

  describe('use', () => {
    it('counts the request once with the route matched after the middleware and the final status', async () => {
      const { req, res } = exchange();
      expect(run(req, res)).toHaveBeenCalledTimes(1);
      req.route = { path: '/items/:id' };
      finish(res, 500);
      expect(await requestCount({ method: 'GET', route: '/items/:id', status_code: '500' })).toBe(1);
      const { values } = await metrics.duration.get();
      expect(values.find((v) => v.metricName === 'http_server_request_duration_seconds_count')?.value).toBe(
        1,
      );
    });

    it('labels a request no controller matched as unmatched', async () => {
      const { req, res } = exchange('POST');
      run(req, res);
      finish(res, 404);
      expect(await requestCount({ method: 'POST', route: 'unmatched', status_code: '404' })).toBe(1);
    });

    it('records 499 when the client closed before the response finished', async () => {
      const { req, res } = exchange();
      run(req, res);
      req.route = { path: '/slow' };
      res.emit('close');
      expect(await requestCount({ route: '/slow', status_code: '499' })).toBe(1);
    });

    it('skips responses marked unmetered (the scrape itself)', async () => {
      const { req, res } = exchange();
      run(req, res);
      req.route = { path: '/metrics' };
      markUnmetered(res);
      finish(res, 200);
      expect((await metrics.requests.get()).values).toEqual([]);
    });

    it('tracks requests in flight', async () => {
      const { req, res } = exchange();
      run(req, res);
      expect((await metrics.active.get()).values[0]?.value).toBe(1);
      finish(res, 200);
      expect((await metrics.active.get()).values[0]?.value).toBe(0);
    });
  });
});

describe('methodLabel', () => {
  it('collapses unknown verbs so a scanner cannot create series', () => {
    expect(methodLabel('get')).toBe('GET');
    expect(methodLabel('BREW')).toBe('_OTHER');
    expect(methodLabel(undefined)).toBe('_OTHER');
  });
});
