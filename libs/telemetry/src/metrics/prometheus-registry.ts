import { collectDefaultMetrics, register } from 'prom-client';

/** A metric `collectDefaultMetrics` registers; present means they are already collected. */
const DEFAULT_METRICS_PROBE = 'process_cpu_user_seconds_total';

/**
 * Prepares prom-client's global registry, the one every package of the process registers in: the
 * `service_name` label on every series (what the dashboards group by) and, once per process, the
 * default process/runtime metrics. Default labels are per registry, so two apps in one process share
 * the last name set.
 */
export function configureDefaultRegistry(serviceName: string, defaultMetrics: boolean): void {
  register.setDefaultLabels({ service_name: serviceName });
  if (defaultMetrics && register.getSingleMetric(DEFAULT_METRICS_PROBE) === undefined) {
    collectDefaultMetrics({ register });
  }
}
