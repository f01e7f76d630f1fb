import { Injectable } from '@nestjs/common';
import {
  MeshValidationError,
  metadataProblems,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { ServiceNotRegisteredError, ServiceRegistry } from '@toskamesh/registry';
import { DiscoveryAuthorizer } from '../auth/discovery-authorizer.service.js';
import type { MeshPrincipal } from '@toskamesh/security';
import { HealthProber, type ProbeOutcome } from '../probing/health-prober.service.js';
import { InstanceTracker } from '../tracking/instance-tracker.service.js';

/**
 * Every change to registrations, for REST and gRPC alike: checks that the caller may touch the
 * registration, writes to the registry and keeps the tracker current (the .NET `ServiceManager`).
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly authorizer: DiscoveryAuthorizer,
    private readonly tracker: InstanceTracker,
    private readonly prober: HealthProber,
  ) {}

  /**
   * Registers (or replaces) an instance. Re-registering an id owned by another service is refused
   * like registering for another service: a registration cannot take over someone else's id.
   */
  async register(
    caller: MeshPrincipal,
    registration: ServiceRegistration & { serviceId: string },
  ): Promise<ServiceInstance> {
    this.authorizer.assertMayChange(caller, registration.serviceName);
    const existing = await this.registry.instance(registration.serviceId);
    if (existing) this.authorizer.assertMayChange(caller, existing.serviceName);
    const instance = await this.registry.register(registration);
    this.tracker.registered(instance);
    return instance;
  }

  /** Removes an instance; {@link ServiceNotRegisteredError} (404) when unknown. */
  async deregister(caller: MeshPrincipal, serviceId: string): Promise<ServiceInstance> {
    const existing = await this.owned(caller, serviceId);
    if (!(await this.registry.deregister(serviceId))) throw new ServiceNotRegisteredError(serviceId);
    this.tracker.deregistered(existing, 'deregistered');
    return existing;
  }

  /** Sets the status reported by the instance (and renews its TTL). */
  async reportHealth(
    caller: MeshPrincipal,
    serviceId: string,
    status: HealthStatus,
    output: string | null = null,
  ): Promise<void> {
    await this.owned(caller, serviceId);
    await this.registry.heartbeat(serviceId, status);
    this.tracker.healthChecked(serviceId, status, output);
  }

  /** Renews the TTL; 404 when unknown so the client re-registers. */
  async heartbeat(caller: MeshPrincipal, serviceId: string): Promise<void> {
    await this.owned(caller, serviceId);
    await this.registry.heartbeat(serviceId);
    this.tracker.healthChecked(serviceId, undefined);
  }

  /** Merges metadata (keys case-insensitive); 400 when the update or the result breaks the limits. */
  async updateMetadata(
    caller: MeshPrincipal,
    serviceId: string,
    metadata: unknown,
  ): Promise<ServiceInstance> {
    if (metadata === undefined || metadata === null) {
      throw new MeshValidationError('metadata update', ['Metadata payload is required']);
    }
    const problems = metadataProblems(metadata);
    if (problems.length) throw new MeshValidationError('metadata update', problems);
    await this.owned(caller, serviceId);
    const instance = await this.registry.updateMetadata(serviceId, metadata as Record<string, string>);
    this.tracker.updated(instance);
    return instance;
  }

  /** Probes the instance now and applies the result. */
  async checkNow(caller: MeshPrincipal, serviceId: string): Promise<ProbeOutcome> {
    const instance = await this.owned(caller, serviceId);
    return this.prober.checkNow(instance);
  }

  private async owned(caller: MeshPrincipal, serviceId: string): Promise<ServiceInstance> {
    const instance = await this.registry.instance(serviceId);
    if (!instance) throw new ServiceNotRegisteredError(serviceId);
    this.authorizer.assertMayChange(caller, instance.serviceName);
    return instance;
  }
}
