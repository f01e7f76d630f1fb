import type { HealthStatus, ServiceInstance, ServiceRegistration } from '@toskamesh/common';
import type { RegistryChange } from './registry-change.js';

/** Filters for {@link ServiceRegistry.instances}. */
export interface InstanceQuery {
  /** Only instances whose status is `Healthy`. @default false */
  healthyOnly?: boolean;
}

/** Options for {@link ServiceRegistry.watch}. */
export interface WatchOptions {
  /** Ends the iteration (the iterator returns) when aborted. */
  signal?: AbortSignal;
}

/**
 * The mesh's service registry: the port every provider implements and the DI token apps inject.
 *
 * Every provider passes the same contract suite (`describeRegistryContract` in `@toskamesh/testing`).
 */
export abstract class ServiceRegistry {
  /**
   * Adds or replaces (same `serviceId`) an instance and returns it as stored. Validates with the
   * discovery contract's rules (`MeshValidationError`) and generates `serviceId` when absent.
   * A registration with a health check starts `Unknown`; one without starts `Healthy`.
   */
  abstract register(registration: ServiceRegistration): Promise<ServiceInstance>;

  /** Removes an instance; `false` when the id was not registered. */
  abstract deregister(serviceId: string): Promise<boolean>;

  /**
   * Renews the instance's TTL and, when given, sets its status (`Healthy` by default keeps the status).
   * Throws `ServiceNotRegisteredError` for an unknown or expired id, so the caller re-registers.
   */
  abstract heartbeat(serviceId: string, status?: HealthStatus): Promise<void>;

  /** Merges `metadata` into the instance's metadata (keys compared case-insensitively, new values win). */
  abstract updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance>;

  /** One instance by id, or `undefined`. */
  abstract instance(serviceId: string): Promise<ServiceInstance | undefined>;

  /** Names of services with at least one live instance, sorted. */
  abstract services(): Promise<string[]>;

  /** Live (not expired) instances of `serviceName`, sorted by `serviceId`. */
  abstract instances(serviceName: string, query?: InstanceQuery): Promise<ServiceInstance[]>;

  /**
   * Pushes changes as they happen (no polling loop in the consumer). The first item is always a
   * `snapshot` of the current instances (of `serviceName`, or of all services), then one item per change.
   * An expired instance is reported as `deregister` with `reason: 'expired'`. The iterator ends when
   * `options.signal` aborts or the consumer breaks out of the loop; it never throws on a transient
   * backend failure (it reconnects and emits a fresh `snapshot`).
   */
  abstract watch(serviceName?: string, options?: WatchOptions): AsyncIterable<RegistryChange>;

  /** Releases connections, timers and watchers. Called by `RegistryModule` on shutdown; safe to call twice. */
  async close(): Promise<void> {}
}
