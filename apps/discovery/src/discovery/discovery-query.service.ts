import { Injectable } from '@nestjs/common';
import { ServiceNotRegisteredError, ServiceRegistry } from '@toskamesh/registry';
import { InstanceNotTrackedError } from '../errors/instance-not-tracked.error.js';
import { toInstanceJson, type ServiceInstanceJson } from '../http/instance-json.js';
import { InstanceTracker } from '../tracking/instance-tracker.service.js';
import { toTrackingJson, type TrackingSnapshotJson } from '../tracking/tracking-record.js';
import { summarizeMetadata, type ServiceMetadataSummary } from './metadata-summary.js';

/** The read side of the discovery API, in wire form. */
@Injectable()
export class DiscoveryQueryService {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly tracker: InstanceTracker,
  ) {}

  services(): Promise<string[]> {
    return this.registry.services();
  }

  async instances(serviceName: string, healthyOnly = false): Promise<ServiceInstanceJson[]> {
    const instances = await this.registry.instances(serviceName, { healthyOnly });
    return instances.map((instance) =>
      toInstanceJson(instance, this.tracker.lastHealthCheck(instance.serviceId)),
    );
  }

  /** One instance; {@link ServiceNotRegisteredError} (404) when unknown. */
  async instance(serviceId: string): Promise<ServiceInstanceJson> {
    const instance = await this.registry.instance(serviceId);
    if (!instance) throw new ServiceNotRegisteredError(serviceId);
    return toInstanceJson(instance, this.tracker.lastHealthCheck(serviceId));
  }

  /** The tracking record, also after deregistration; 404 when never seen. */
  tracking(serviceId: string): TrackingSnapshotJson {
    const record = this.tracker.get(serviceId);
    if (!record) throw new InstanceNotTrackedError(serviceId);
    return toTrackingJson(record);
  }

  trackingOfService(serviceName: string): TrackingSnapshotJson[] {
    return this.tracker.forService(serviceName).map(toTrackingJson);
  }

  async metadata(serviceName: string): Promise<ServiceMetadataSummary> {
    return summarizeMetadata(serviceName, await this.registry.instances(serviceName));
  }
}
