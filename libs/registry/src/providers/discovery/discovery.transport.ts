import type { HealthStatus, ServiceInstance, ServiceRegistration } from '@toskamesh/common';
import type { RegistryChange } from '../../registry-change.js';

/**
 * One way of talking to the discovery service (REST + SSE, or gRPC). `DiscoveryServiceRegistry` validates
 * input, sorts results and keeps watches alive; a transport only maps calls to the wire and wire errors to
 * typed errors (`RegistryUnavailableError`, `RegistryAccessDeniedError`, `MeshValidationError`).
 */
export interface DiscoveryTransport {
  /** Stores a normalized registration and returns the instance as the server holds it. */
  register(registration: ServiceRegistration & { serviceId: string }): Promise<ServiceInstance>;
  /** `false` when the id is unknown. */
  deregister(serviceId: string): Promise<boolean>;
  /** Renews the TTL; `ServiceNotRegisteredError` when the id is unknown. */
  heartbeat(serviceId: string): Promise<void>;
  /** Sets the status; `ServiceNotRegisteredError` when the id is unknown. */
  reportHealth(serviceId: string, status: HealthStatus): Promise<void>;
  /** Merges metadata and returns the updated instance; `ServiceNotRegisteredError` when unknown. */
  updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance>;
  instance(serviceId: string): Promise<ServiceInstance | undefined>;
  services(): Promise<string[]>;
  instances(serviceName: string, healthyOnly: boolean): Promise<ServiceInstance[]>;
  /**
   * One watch connection: yields the server's changes (resuming after `fromIndex` when the transport
   * can), returns when the server ends the stream and throws when it fails. Reconnecting is the caller's job.
   */
  watchOnce(
    serviceName: string | undefined,
    fromIndex: number | undefined,
    signal: AbortSignal,
  ): AsyncIterable<RegistryChange>;
  /** Destroys connections; in-flight calls fail. */
  close(): Promise<void>;
}
