import type { LoggerService } from '@nestjs/common';
import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '@toskamesh/common';
import {
  overallStatus,
  type HealthReport,
  type HealthReportEntry,
  type HealthReportStatus,
} from './health-report.js';
import type { MeshHealthIndicator, MeshHealthTag } from './mesh-health-indicator.js';

/** Which checks a report includes: `all` for `/health`, or the checks tagged `live` / `ready`. */
export type HealthScope = 'all' | MeshHealthTag;

const TERMINUS_STATUS: Record<string, HealthReportStatus> = {
  up: 'Healthy',
  degraded: 'Degraded',
  down: 'Unhealthy',
};

/**
 * Runs the `indicators` of `scope` (less the `exclude`d names) concurrently through terminus indicator
 * sessions and builds the .NET original's report. A check that throws counts as Unhealthy with its
 * `exception`; one check never hides another. Usable by any app, with or without `MeshRuntimeModule`.
 */
export async function runHealthChecks(
  indicators: readonly MeshHealthIndicator[],
  sessions: HealthIndicatorService,
  scope: HealthScope,
  options: {
    exclude?: readonly string[];
    logger?: Pick<LoggerService, 'warn'>;
    /** A check still running after this counts as Unhealthy, so one hung check cannot hang the endpoint. @default 5000 */
    checkTimeoutMs?: number;
  } = {},
): Promise<HealthReport> {
  const started = performance.now();
  const exclude = options.exclude ?? [];
  const selected = indicators.filter(
    (indicator) => (scope === 'all' || indicator.tags?.includes(scope)) && !exclude.includes(indicator.name),
  );
  const checks = await Promise.all(
    selected.map((indicator) => runOne(indicator, sessions, options.checkTimeoutMs ?? 5000, options.logger)),
  );
  return { status: overallStatus(checks), duration: elapsed(started), checks };
}

async function runOne(
  indicator: MeshHealthIndicator,
  sessions: HealthIndicatorService,
  timeoutMs: number,
  logger?: Pick<LoggerService, 'warn'>,
): Promise<HealthReportEntry> {
  const started = performance.now();
  try {
    const result: HealthIndicatorResult = await withTimeout(
      `health check "${indicator.name}"`,
      timeoutMs,
      async () => indicator.check(sessions.check(indicator.name)),
    );
    const { status = 'down', message, ...data } = (result[indicator.name] ?? {}) as Record<string, unknown>;
    return {
      name: indicator.name,
      status: TERMINUS_STATUS[String(status)] ?? 'Unhealthy',
      duration: elapsed(started),
      description: typeof message === 'string' ? message : null,
      exception: null,
      data,
    };
  } catch (error) {
    logger?.warn(`Health check "${indicator.name}" threw: ${String(error)}`);
    const exception = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      name: indicator.name,
      status: 'Unhealthy',
      duration: elapsed(started),
      description: null,
      exception,
      data: {},
    };
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
