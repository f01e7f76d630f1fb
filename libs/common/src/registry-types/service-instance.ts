import type { HealthStatus } from './health-status.js';
import type { HealthCheckConfig } from './service-registration.js';

/** One running copy of a service, as the registry knows it. */
export interface ServiceInstance {
  /** Logical service name, case-sensitive (`orders`). */
  readonly serviceName: string;
  /** Unique id of this instance (`orders-4f1c...`). */
  readonly serviceId: string;
  /** Host name or IP other services use to reach it. */
  readonly address: string;
  readonly port: number;
  /** `http` or `https`; from metadata `scheme` when registered through the original's API. */
  readonly scheme: string;
  readonly status: HealthStatus;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly registeredAt: Date;
  /** Last heartbeat, TTL pass or health probe; `null` before the first. */
  readonly lastHeartbeatAt: Date | null;
  /** Active health check settings, when the instance asked to be probed. */
  readonly healthCheck?: HealthCheckConfig;
}
