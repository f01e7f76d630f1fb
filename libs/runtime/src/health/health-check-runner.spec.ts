import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { sleep } from '@toskamesh/common';
import { runHealthChecks } from './health-check-runner.js';
import type { MeshHealthIndicator } from './mesh-health-indicator.js';

describe(runHealthChecks.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs the checks concurrently', async () => {
    jest.useFakeTimers();
    const slow = (name: string): MeshHealthIndicator => ({
      name,
      check: async (session) => {
        await sleep(100);
        return session.up();
      },
    });
    let done = false;
    const report = runHealthChecks([slow('a'), slow('b')], new HealthIndicatorService(), 'all').then((r) => {
      done = true;
      return r;
    });
    await jest.advanceTimersByTimeAsync(100);
    expect(done).toBe(true);
    expect((await report).checks.map((check) => check.status)).toEqual(['Healthy', 'Healthy']);
  });

  it('reports a check that never settles as Unhealthy after its time limit', async () => {
    jest.useFakeTimers();
    const hung: MeshHealthIndicator = {
      name: 'hung',
      check: () => new Promise<HealthIndicatorResult>(() => undefined),
    };
    const quick: MeshHealthIndicator = { name: 'quick', check: (session) => session.up() };
    const report = runHealthChecks([hung, quick], new HealthIndicatorService(), 'all', {
      checkTimeoutMs: 250,
    });
    await jest.advanceTimersByTimeAsync(250);
    const { status, checks } = await report;
    expect(status).toBe('Unhealthy');
    expect(checks[0]).toMatchObject({ name: 'hung', status: 'Unhealthy' });
    expect(checks[0]!.exception).toMatch(/timed out after 250 ms/);
    expect(checks[1]).toMatchObject({ name: 'quick', status: 'Healthy' });
  });

  it('tells the logger about a check that threw', async () => {
    const warn = jest.fn();
    const throwing: MeshHealthIndicator = {
      name: 'db',
      check: () => Promise.reject(new Error('gone')),
    };
    const report = await runHealthChecks([throwing], new HealthIndicatorService(), 'all', {
      logger: { warn },
    });
    expect(report.status).toBe('Unhealthy');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"db" threw'));
  });

  it('reports a status it does not know as Unhealthy', async () => {
    // A hand-written result (plain JS, or another terminus version) may carry any status string.
    const result = { odd: { status: 'sideways' } } as unknown as HealthIndicatorResult;
    const odd: MeshHealthIndicator = { name: 'odd', check: () => result };
    const report = await runHealthChecks([odd], new HealthIndicatorService(), 'all');
    expect(report.checks[0]).toMatchObject({ status: 'Unhealthy', data: {} });
  });
});
