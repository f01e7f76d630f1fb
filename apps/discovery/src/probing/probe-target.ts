import { isIP } from 'node:net';
import { MESH_METADATA, type HealthCheckConfig, type ServiceInstance } from '@toskamesh/common';

/** What and how to probe for one instance. */
export interface ProbeTarget {
  url: string;
  timeoutMs: number;
  unhealthyThreshold: number;
  intervalMs: number;
}

/**
 * The probe of `instance`: its registered health check, or for an explicit check of an instance that
 * has none, the original's metadata `health_check_endpoint` (else `/health`) with a threshold of 1.
 */
export function probeTarget(instance: ServiceInstance, defaultTimeoutMs: number): ProbeTarget {
  const check: HealthCheckConfig = instance.healthCheck ?? {
    endpoint: instance.metadata[MESH_METADATA.healthCheckEndpoint] || '/health',
    intervalMs: 10_000,
    timeoutMs: defaultTimeoutMs,
    unhealthyThreshold: 1,
  };
  const host = isIP(instance.address) === 6 ? `[${instance.address}]` : instance.address;
  const path = check.endpoint.startsWith('/') ? check.endpoint : `/${check.endpoint}`;
  const scheme = instance.scheme === 'https' ? 'https' : 'http';
  return {
    url: `${scheme}://${host}:${instance.port}${path}`,
    // A probe may not outlast its own interval, or probes of a slow instance would pile up.
    timeoutMs: Math.max(1, Math.min(check.timeoutMs || defaultTimeoutMs, check.intervalMs)),
    unhealthyThreshold: Math.max(1, check.unhealthyThreshold),
    intervalMs: Math.max(1000, check.intervalMs),
  };
}
