import { afterEach, describe, expect, it } from '@jest/globals';
import { register } from 'prom-client';
import { GATEWAY_METRICS, GatewayMetrics } from './gateway-metrics.js';

async function values(name: string) {
  const metric = register.getSingleMetric(name);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  return (await metric.get()).values;
}

describe(GatewayMetrics.name, () => {
  const created: GatewayMetrics[] = [];
  const make = () => {
    const metrics = new GatewayMetrics();
    created.push(metrics);
    return metrics;
  };

  afterEach(() => {
    for (const metrics of created.splice(0)) metrics.close();
    register.resetMetrics();
  });

  describe('series', () => {
    it('returns the same cached series for a service', () => {
      const metrics = make();
      expect(metrics.series('orders')).toBe(metrics.series('orders'));
      expect(metrics.series('orders')).not.toBe(metrics.series('billing'));
    });

    it('reuses one label object per service and status across requests', async () => {
      const metrics = make();
      const series = metrics.series('orders');
      const seen = new Set<object>();
      const histogram = register.getSingleMetric(GATEWAY_METRICS.duration) as unknown as {
        observe: (labels: object, value: number) => void;
      };
      const original = histogram.observe.bind(histogram);
      histogram.observe = (labels, value) => {
        seen.add(labels);
        original(labels, value);
      };
      try {
        for (let i = 0; i < 5; i += 1) series.finished('GET', 200, 0.01, false);
      } finally {
        histogram.observe = original;
      }
      expect(seen.size).toBe(1);
      const duration = await values(GATEWAY_METRICS.duration);
      const count = duration.find(
        (v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.service === 'orders',
      );
      expect(count?.value).toBe(5);
    });
  });

  describe('flush', () => {
    it('brings counted requests, errors, retries, ejections and refusals into prom-client on scrape', async () => {
      const series = make().series('orders');
      series.started();
      series.finished('GET', 200, 0.005, true);
      series.finished('GET', 200, 0.005, false);
      series.finished('POST', 503, 0.2, false);
      series.upstreamError('connect');
      series.retry('status-503');
      series.ejected();
      series.rateLimited();

      const requests = await values(GATEWAY_METRICS.requests);
      expect(requests).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ labels: { service: 'orders', method: 'GET', status: '200' }, value: 2 }),
          expect.objectContaining({ labels: { service: 'orders', method: 'POST', status: '503' }, value: 1 }),
        ]),
      );
      expect(await values(GATEWAY_METRICS.upstreamErrors)).toEqual([
        expect.objectContaining({ labels: { service: 'orders', kind: 'connect' }, value: 1 }),
      ]);
      expect(await values(GATEWAY_METRICS.retries)).toEqual([
        expect.objectContaining({ labels: { service: 'orders', reason: 'status-503' }, value: 1 }),
      ]);
      expect(await values(GATEWAY_METRICS.ejections)).toEqual([
        expect.objectContaining({ labels: { service: 'orders' }, value: 1 }),
      ]);
      expect(await values(GATEWAY_METRICS.rateLimited)).toEqual([
        expect.objectContaining({ labels: { service: 'orders' }, value: 1 }),
      ]);
      // A second scrape adds nothing new.
      expect((await values(GATEWAY_METRICS.requests)).find((v) => v.labels.method === 'GET')?.value).toBe(2);
    });

    it('tracks in-flight requests and sums several gateways in one process', async () => {
      const one = make().series('orders');
      const two = make().series('orders');
      one.started();
      one.started();
      two.started();
      expect(await values(GATEWAY_METRICS.inFlight)).toEqual([
        expect.objectContaining({ labels: { service: 'orders' }, value: 3 }),
      ]);
      one.finished('GET', 200, 0.001, true);
      two.finished('GET', 200, 0.001, true);
      expect(await values(GATEWAY_METRICS.inFlight)).toEqual([
        expect.objectContaining({ labels: { service: 'orders' }, value: 1 }),
      ]);
    });

    it('folds unknown methods into OTHER so clients cannot grow the series', async () => {
      make().series('orders').finished('PROPFIND', 405, 0.001, false);
      expect(await values(GATEWAY_METRICS.requests)).toEqual([
        expect.objectContaining({ labels: { service: 'orders', method: 'OTHER', status: '405' } }),
      ]);
    });
  });
});
