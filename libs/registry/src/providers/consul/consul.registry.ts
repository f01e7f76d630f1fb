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
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import type { RegistryChange } from '../../registry-change.js';
import type { ConsulRegistryOptions } from '../../registry-options.js';
import { ServiceRegistry, type InstanceQuery, type WatchOptions } from '../../service-registry.js';
import { ChangeStream } from './change.stream.js';
import { CONSUL_PROVIDER, ConsulAgentClient } from './consul-agent.client.js';
import { meshServiceNames, runCatalogWatch } from './consul-catalog.watch.js';
import { ttlCheckId } from './consul-check.definition.js';
import {
  REGISTERED_AT_META,
  consulMetaProblems,
  fromHealthEntry,
  schemeOf,
  storedMetadata,
  toInstance,
  toServiceOptions,
  userMetadata,
} from './consul-instance.mapper.js';
import { runServiceWatch, type WatchContext } from './consul-service.watch.js';
import { reportedStatus, statusNote, ttlVerb } from './consul-status.mapper.js';
import { resolveConsulOptions, type ResolvedConsulOptions } from './consul.options.js';
import { WatchProgress } from './watch.progress.js';

/** Longest a write waits for this registry's own watches to show it. */
const SETTLE_LIMIT_MS = 2_000;

function byServiceId(a: ServiceInstance, b: ServiceInstance): number {
  return a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0;
}

function mergeMetadata(
  current: Record<string, string>,
  update: Record<string, string>,
): Record<string, string> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    for (const existing of Object.keys(merged))
      if (existing.toLowerCase() === key.toLowerCase()) delete merged[existing];
    merged[key] = value;
  }
  return merged;
}

/**
 * {@link ServiceRegistry} in a Consul agent (the .NET original's `ConsulServiceRegistry`), over the
 * agent's HTTP API with the `consul` package.
 *
 * - Every instance has a TTL check `service:<id>` (TTL = `registrationTtlMs`); `heartbeat()` passes,
 *   warns or fails it. A registration with `healthCheck` also gets an HTTP check Consul runs itself.
 * - Status: any critical/maintenance check -> Unhealthy, warning -> Degraded, all passing -> Healthy,
 *   none or not yet reported -> Unknown. A lapsed TTL turns the instance Unhealthy (Consul keeps it);
 *   Consul removes it after `deregisterCriticalAfterMs` of critical (1 minute at least).
 * - `watch()` uses blocking queries (no polling), diffs each answer into events, backs off on errors
 *   and starts over with a fresh snapshot.
 * - Heartbeats, deregistration and metadata updates must go to the agent that registered the instance
 *   (Consul's rule); reads see the whole datacenter.
 * Failures: `RegistryUnavailableError` (network, timeout, 5xx), `RegistryAccessDeniedError` (ACL 403),
 * `MeshValidationError` (invalid registration or a 400).
 */
export class ConsulServiceRegistry extends ServiceRegistry {
  private readonly logger = new Logger(ConsulServiceRegistry.name);
  private readonly settings: ResolvedConsulOptions;
  private readonly client: ConsulAgentClient;
  private readonly heartbeats = new Map<string, Date>();
  /** Service name of each id this registry registered (spares a lookup when a watch needs it). */
  private readonly serviceNames = new Map<string, string>();
  private readonly watches = new Set<AbortController>();
  private readonly progress = new WatchProgress();
  private sequence = 0;
  private closed = false;

  /** Throws `MeshConfigError` for a bad url, token, datacenter or time limit. */
  constructor(readonly options: ConsulRegistryOptions) {
    super();
    this.settings = resolveConsulOptions(options);
    this.client = new ConsulAgentClient(this.settings);
  }

  /** Registers with the agent (replacing any instance of the same id, so its checks start fresh). */
  async register(registration: ServiceRegistration): Promise<ServiceInstance> {
    const normalized = normalizeRegistration(registration);
    const problems = consulMetaProblems(storedMetadata(normalized));
    if (problems.length) throw new MeshValidationError('service registration', problems);
    const registeredAt = new Date();
    const service = toServiceOptions(normalized, registeredAt, this.settings.deregisterCriticalAfterMs);
    this.open();
    // Consul restores a re-registered check's old status; dropping the old instance first starts it fresh.
    await this.client.deregisterService(normalized.serviceId);
    await this.client.registerService(service);
    this.heartbeats.delete(normalized.serviceId);
    this.serviceNames.set(normalized.serviceId, normalized.serviceName);
    await this.settle(normalized.serviceName);
    return {
      serviceName: normalized.serviceName,
      serviceId: normalized.serviceId,
      address: normalized.address,
      port: normalized.port,
      scheme: schemeOf(normalized.scheme, service.meta),
      status: normalized.healthCheck ? 'Unknown' : 'Healthy',
      metadata: userMetadata(service.meta),
      tags: [...service.tags],
      registeredAt,
      lastHeartbeatAt: null,
      ...(normalized.healthCheck ? { healthCheck: normalized.healthCheck } : {}),
    };
  }

  async deregister(serviceId: string): Promise<boolean> {
    this.open();
    this.heartbeats.delete(serviceId);
    let serviceName = this.serviceNames.get(serviceId);
    this.serviceNames.delete(serviceId);
    if (serviceName === undefined && this.progress.follows()) {
      serviceName = (await this.client.agentServices())[serviceId]?.Service;
    }
    const removed = await this.client.deregisterService(serviceId);
    if (removed && serviceName) await this.settle(serviceName);
    return removed;
  }

  /**
   * Renews the TTL check. With `status`, sets it (Healthy pass, Degraded warn, Unhealthy fail, Unknown a
   * warning noted Unknown); without, re-applies the status the last heartbeat set (read back from the
   * agent), so the TTL is renewed and the status kept.
   */
  async heartbeat(serviceId: string, status?: HealthStatus): Promise<void> {
    this.open();
    const checkId = ttlCheckId(serviceId);
    let target = status === undefined ? undefined : parseHealthStatus(status);
    let serviceName = this.serviceNames.get(serviceId);
    if (target === undefined || (serviceName === undefined && this.progress.follows())) {
      const check = (await this.client.agentChecks())[checkId];
      if (!check) throw new ServiceNotRegisteredError(serviceId);
      target ??= reportedStatus(check.Output) ?? 'Healthy';
      serviceName ??= check.ServiceName;
    }
    const renewed = await this.client.updateTtl(checkId, ttlVerb(target), statusNote(target));
    if (!renewed) throw new ServiceNotRegisteredError(serviceId);
    this.heartbeats.set(serviceId, new Date());
    if (serviceName) await this.settle(serviceName);
  }

  /** Re-registers the instance with merged metadata; Consul keeps its checks and their status. */
  async updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance> {
    const updateProblems = metadataProblems(metadata);
    if (updateProblems.length) throw new MeshValidationError('metadata update', updateProblems);
    this.open();
    const service = (await this.client.agentServices())[serviceId];
    if (!service) throw new ServiceNotRegisteredError(serviceId);
    const merged = mergeMetadata(userMetadata(service.Meta), metadata);
    const problems = [...metadataProblems(merged), ...consulMetaProblems(merged)];
    if (problems.length) throw new MeshValidationError('metadata update', problems);
    const registeredAt = service.Meta?.[REGISTERED_AT_META];
    const meta = { ...merged, ...(registeredAt ? { [REGISTERED_AT_META]: registeredAt } : {}) };
    // No checks in the body: Consul leaves the existing ones (and their TTL timers) untouched.
    await this.client.registerService({
      ...{ id: service.ID, name: service.Service, address: service.Address ?? '', port: service.Port ?? 0 },
      ...{ tags: [...(service.Tags ?? [])], meta },
    });
    const checks = Object.values(await this.client.agentChecks()).filter(
      (check) => check.ServiceID === serviceId,
    );
    await this.settle(service.Service);
    return toInstance({ ...service, Meta: meta }, checks, this.lastHeartbeat(serviceId));
  }

  /** Looks on this agent first, then through the catalog (an instance registered elsewhere). */
  async instance(serviceId: string): Promise<ServiceInstance | undefined> {
    this.open();
    const local = (await this.client.agentServices())[serviceId];
    const names = local ? [local.Service] : meshServiceNames((await this.client.catalogServices()).body);
    for (const name of names) {
      const found = (await this.instances(name)).find((instance) => instance.serviceId === serviceId);
      if (found) return found;
    }
    return undefined;
  }

  async services(): Promise<string[]> {
    this.open();
    return meshServiceNames((await this.client.catalogServices()).body);
  }

  async instances(serviceName: string, query: InstanceQuery = {}): Promise<ServiceInstance[]> {
    this.open();
    const healthyOnly = query.healthyOnly === true;
    const { body } = await this.client.healthService(serviceName, healthyOnly);
    return body
      .map((entry) => fromHealthEntry(entry, this.lastHeartbeat(entry.Service.ID)))
      .filter((instance) => !healthyOnly || instance.status === 'Healthy')
      .sort(byServiceId);
  }

  watch(serviceName?: string, options: WatchOptions = {}): AsyncIterable<RegistryChange> {
    this.open();
    const controller = new AbortController();
    const stop = () => controller.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) controller.abort();
    const stream = new ChangeStream(controller);
    const cursor = this.progress.open(serviceName);
    this.watches.add(controller);
    const run = serviceName
      ? runServiceWatch(this.watchContext(), serviceName, stream, cursor, controller.signal)
      : runCatalogWatch(this.watchContext(), stream, cursor, controller.signal);
    void run
      .catch((error: unknown) => this.logger.error(`Watch ended unexpectedly: ${(error as Error).message}`))
      .finally(() => {
        stream.end();
        this.progress.release(cursor);
        this.watches.delete(controller);
        options.signal?.removeEventListener('abort', stop);
      });
    return stream;
  }

  /** Ends every watch and closes the agent connections. Safe to call twice. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const controller of this.watches) controller.abort();
    this.watches.clear();
    this.client.close();
  }

  private watchContext(): WatchContext {
    return {
      client: this.client,
      nextIndex: () => ++this.sequence,
      lastHeartbeat: (serviceId) => this.lastHeartbeat(serviceId),
      logger: this.logger,
    };
  }

  /**
   * Waits until this registry's watches following `serviceName` applied the write just made (read
   * back as the service's current index), so they report it as its own event. Best effort and bounded:
   * a watch that is reconnecting does not hold writes up for long.
   */
  private async settle(serviceName: string): Promise<void> {
    if (!this.progress.follows(serviceName)) return;
    try {
      const { index } = await this.client.healthService(serviceName, false);
      await this.progress.settle(serviceName, index, SETTLE_LIMIT_MS);
    } catch (error) {
      this.logger.debug(`Watches of "${serviceName}" not settled: ${(error as Error).message}`);
    }
  }

  private lastHeartbeat(serviceId: string): Date | null {
    return this.heartbeats.get(serviceId) ?? null;
  }

  private open(): void {
    if (this.closed) throw new RegistryUnavailableError(CONSUL_PROVIDER, 'the registry was closed');
  }
}
