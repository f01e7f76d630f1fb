/** Status strings of the .NET original's health JSON. */
export type HealthReportStatus = 'Healthy' | 'Degraded' | 'Unhealthy';

/** One check in a {@link HealthReport}. */
export interface HealthReportEntry {
  name: string;
  status: HealthReportStatus;
  /** Milliseconds the check took. */
  duration: number;
  description: string | null;
  exception: string | null;
  data: Record<string, unknown>;
}

/** The body of `/health`, `/health/live` and `/health/ready`, shaped like the .NET original's. */
export interface HealthReport {
  status: HealthReportStatus;
  /** Milliseconds the whole report took. */
  duration: number;
  checks: HealthReportEntry[];
}

const RANK: Record<HealthReportStatus, number> = { Healthy: 0, Degraded: 1, Unhealthy: 2 };

/** The worst status of the checks (Healthy when there are none). */
export function overallStatus(entries: readonly HealthReportEntry[]): HealthReportStatus {
  return entries.reduce<HealthReportStatus>(
    (worst, entry) => (RANK[entry.status] > RANK[worst] ? entry.status : worst),
    'Healthy',
  );
}

/** 503 only for Unhealthy: Degraded still serves, as in ASP.NET's default mapping. */
export function httpStatusOf(report: HealthReport): number {
  return report.status === 'Unhealthy' ? 503 : 200;
}
