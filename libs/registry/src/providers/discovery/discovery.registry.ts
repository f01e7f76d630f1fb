import { Logger } from '@nestjs/common';
import {
  MeshValidationError,
  metadataProblems,
  normalizeRegistration,
  parseHealthStatus,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import type { RegistryChange } from '../../registry-change.js';
import type { DiscoveryRegistryOptions } from '../../registry-options.js';
import { ServiceRegistry, type InstanceQuery, type WatchOptions } from '../../service-registry.js';
import { DiscoveryGrpcTransport } from './discovery-grpc.transport.js';
import { DiscoveryHttpTransport } from './discovery-http.transport.js';
import { reconnectingWatch } from './discovery-watch.loop.js';
import { DISCOVERY_PROVIDER } from './discovery-wire.codec.js';
import { resolveDiscoveryOptions } from './discovery.options.js';
import type { DiscoveryTransport } from './discovery.transport.js';

/**
 * {@link ServiceRegistry} backed by the ToskaMesh discovery service (`apps/discovery`, or the .NET
 * original for the calls it has), over REST + SSE (`transport: 'http'`) or gRPC (`transport: 'grpc'`).
 *
 * Registrations are validated and given their `serviceId` here, so a retried register is idempotent.
 * Every request carries `Authorization: Bearer <authToken()>` and has `timeoutMs`; failures surface as
 * `RegistryUnavailableError` (retryable), `RegistryAccessDeniedError` (401/403), `MeshValidationError`
 * (400) or `ServiceNotRegisteredError` (unknown id on heartbeat or metadata update).
 */
export class DiscoveryServiceRegistry extends ServiceRegistry {
  private readonly logger = new Logger(DiscoveryServiceRegistry.name);
  private readonly transport: DiscoveryTransport;
  private readonly closing = new AbortController();
  private closed: Promise<void> | undefined;

  /** Throws `MeshConfigError` for a bad url, transport, timeout or token supplier. */
  constructor(readonly options: DiscoveryRegistryOptions) {
    super();
    const { url, transport, timeoutMs, authToken } = resolveDiscoveryOptions(options);
    this.transport =
      transport === 'grpc'
        ? new DiscoveryGrpcTransport({ address: url, timeoutMs, ...(authToken ? { authToken } : {}) })
        : new DiscoveryHttpTransport({ url: new URL(url), timeoutMs, ...(authToken ? { authToken } : {}) });
  }

  async register(registration: ServiceRegistration): Promise<ServiceInstance> {
    const normalized = normalizeRegistration(registration);
    return this.open().register(normalized);
  }

  async deregister(serviceId: string): Promise<boolean> {
    return this.open().deregister(serviceId);
  }

  /** Renews the TTL (`/heartbeat`); with `status`, reports it first (`/health`), then renews. */
  async heartbeat(serviceId: string, status?: HealthStatus): Promise<void> {
    const transport = this.open();
    if (status !== undefined) await transport.reportHealth(serviceId, parseHealthStatus(status));
    await transport.heartbeat(serviceId);
  }

  async updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance> {
    const problems = metadataProblems(metadata);
    if (problems.length) throw new MeshValidationError('metadata', problems);
    return this.open().updateMetadata(serviceId, { ...metadata });
  }

  async instance(serviceId: string): Promise<ServiceInstance | undefined> {
    return this.open().instance(serviceId);
  }

  async services(): Promise<string[]> {
    return [...new Set(await this.open().services())].sort();
  }

  async instances(serviceName: string, query: InstanceQuery = {}): Promise<ServiceInstance[]> {
    const instances = await this.open().instances(serviceName, query.healthyOnly ?? false);
    return instances.sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0));
  }

  /**
   * Follows the server's watch stream (SSE or the gRPC `Watch` rpc). Reconnects with back-off after any
   * failure, resuming after the last index seen (the server replays what was missed, or sends a fresh
   * snapshot); ends when `options.signal` aborts, the loop breaks, or {@link close} is called.
   */
  watch(serviceName?: string, options: WatchOptions = {}): AsyncIterable<RegistryChange> {
    const signal = options.signal
      ? AbortSignal.any([this.closing.signal, options.signal])
      : this.closing.signal;
    return reconnectingWatch(
      (fromIndex, attemptSignal) => this.transport.watchOnce(serviceName, fromIndex, attemptSignal),
      {
        signal,
        logger: this.logger,
        label: `discovery watch of ${serviceName ? `"${serviceName}"` : 'all services'}`,
      },
    );
  }

  /** Ends every watch and destroys the connection pool (HTTP) or channel (gRPC). Safe to call twice. */
  override close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing.abort();
      await this.transport.close();
    })();
    return this.closed;
  }

  private open(): DiscoveryTransport {
    if (this.closing.signal.aborted) {
      throw new RegistryUnavailableError(DISCOVERY_PROVIDER, 'the registry client is closed');
    }
    return this.transport;
  }
}
