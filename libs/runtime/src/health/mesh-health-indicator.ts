import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** terminus' per-key indicator session (`up()`, `degraded()`, `down()`, `attempt()`), which terminus does not export by name. */
export type MeshHealthSession = ReturnType<HealthIndicatorService['check']>;

/** Which endpoints besides `/health` show a check. */
export type MeshHealthTag = 'live' | 'ready';

/**
 * A pluggable health check, written with terminus' indicator session:
 * `{ name: 'db', tags: ['ready'], check: (db) => db.attempt(() => pool.query('select 1')).withTimeout(1000) }`.
 * `up()` -> Healthy, `degraded()` -> Degraded (still 200), `down()` or a throw -> Unhealthy (503).
 */
export interface MeshHealthIndicator {
  /** Key of the check in the report; unique per service. */
  name: string;
  /** `ready` checks gate `/health/ready`, `live` checks gate `/health/live`; every check runs on `/health`. @default [] */
  tags?: MeshHealthTag[];
  check: (indicator: MeshHealthSession) => PromiseLike<HealthIndicatorResult> | HealthIndicatorResult;
}
