/** How the registry probes an instance and how long it lives without a heartbeat. */
export interface HealthCheckConfig {
  /** HTTP path probed with GET (`/health`). */
  endpoint: string;
  /** Time between probes and heartbeats. The TTL is 3 x this. @default 10000 */
  intervalMs: number;
  /** Probe time limit. @default 5000 */
  timeoutMs: number;
  /** Consecutive failed probes before the instance turns Unhealthy. @default 3 */
  unhealthyThreshold: number;
}

/** What a service sends to join the registry. Registering the same `serviceId` again replaces it. */
export interface ServiceRegistration {
  serviceName: string;
  /** Generated as `<serviceName>-<uuid>` when absent. */
  serviceId?: string;
  address: string;
  port: number;
  /** @default 'http' (or metadata `scheme`) */
  scheme?: string;
  /** String-to-string metadata; well-known keys: `scheme`, `health_check_endpoint`, `lb_strategy`, `weight`. */
  metadata?: Record<string, string>;
  tags?: string[];
  /** Active HTTP probing; without it the instance starts Healthy and lives on heartbeats. */
  healthCheck?: HealthCheckConfig;
  /** Time without a heartbeat after which the instance expires. @default 3 x healthCheck.intervalMs, or 30000 */
  ttlMs?: number;
}

/** Interval used when a registration has no health check. */
export const DEFAULT_HEALTH_INTERVAL_MS = 10_000;

/** TTL a registration gets: explicit `ttlMs`, else 3 x its interval (contract: TTL = 3 x interval). */
export function registrationTtlMs(registration: Pick<ServiceRegistration, 'ttlMs' | 'healthCheck'>): number {
  if (registration.ttlMs !== undefined) return registration.ttlMs;
  return 3 * (registration.healthCheck?.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS);
}
