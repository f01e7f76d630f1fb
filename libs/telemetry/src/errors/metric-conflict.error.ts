import { MeshError } from '@toskamesh/common';

/**
 * A metric name is already registered in prom-client's default registry with another type or other
 * label names, so it cannot be reused. Rename one of them: two meanings cannot share one series.
 */
export class MetricConflictError extends MeshError {
  constructor(
    readonly metricName: string,
    problem: string,
  ) {
    super(
      'MESH_TELEMETRY_METRIC_CONFLICT',
      `Metric "${metricName}" is already registered ${problem}; give one of them another name`,
      { details: { metricName } },
    );
  }
}
