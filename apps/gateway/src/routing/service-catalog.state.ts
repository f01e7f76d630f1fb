import type { ServiceInstance } from '@toskamesh/common';
import type { RegistryChange } from '@toskamesh/registry';

const EMPTY: readonly ServiceInstance[] = Object.freeze([]);

/**
 * The instances the registry reported, per lower-cased service name, and the Healthy ones as frozen
 * arrays sorted by `serviceId`. A service's Healthy array is replaced only when its content changes,
 * so consumers (upstream pools) detect changes by reference and keep their state across a resync
 * snapshot that changed nothing.
 */
export class CatalogState {
  private readonly all = new Map<string, Map<string, ServiceInstance>>();
  /** Where each id lives, so an id moved to another service leaves the old one. */
  private readonly serviceOfId = new Map<string, string>();
  private readonly healthy = new Map<string, readonly ServiceInstance[]>();
  private index = -1;

  /** The `index` of the last change applied (`-1` before the first). */
  get lastIndex(): number {
    return this.index;
  }

  /** Applies one change and returns the services (lower-cased) whose Healthy array changed. */
  apply(change: RegistryChange): string[] {
    this.index = change.index;
    if (change.type === 'snapshot') return this.replaceAll(change.instances);
    const touched = new Set<string>();
    const { instance } = change;
    const previous = this.serviceOfId.get(instance.serviceId);
    if (previous !== undefined) {
      this.all.get(previous)?.delete(instance.serviceId);
      this.serviceOfId.delete(instance.serviceId);
      touched.add(previous);
    }
    if (change.type !== 'deregister') this.put(instance, touched);
    else touched.add(keyOf(instance.serviceName));
    return [...touched].filter((service) => this.refresh(service));
  }

  /** Healthy instances: `[]` when the service is known but none is Healthy, `undefined` when unknown. */
  instances(service: string): readonly ServiceInstance[] | undefined {
    return this.healthy.get(service) ?? this.healthy.get(service.toLowerCase());
  }

  /** Every reported instance of the service, whatever its status, sorted by `serviceId`. */
  allInstances(service: string): ServiceInstance[] {
    const members = this.all.get(service.toLowerCase());
    return members ? [...members.values()].sort(byServiceId) : [];
  }

  /** Lower-cased names of services with at least one instance (any status), sorted. */
  services(): string[] {
    return [...this.healthy.keys()].sort();
  }

  private replaceAll(instances: readonly ServiceInstance[]): string[] {
    const touched = new Set<string>(this.all.keys());
    this.all.clear();
    this.serviceOfId.clear();
    for (const instance of instances) this.put(instance, touched);
    return [...touched].filter((service) => this.refresh(service));
  }

  private put(instance: ServiceInstance, touched: Set<string>): void {
    const key = keyOf(instance.serviceName);
    let members = this.all.get(key);
    if (!members) this.all.set(key, (members = new Map()));
    members.set(instance.serviceId, instance);
    this.serviceOfId.set(instance.serviceId, key);
    touched.add(key);
  }

  /** Rebuilds one service's Healthy array; true when it changed (or the service appeared or vanished). */
  private refresh(service: string): boolean {
    const members = this.all.get(service);
    const old = this.healthy.get(service);
    if (!members || members.size === 0) {
      this.all.delete(service);
      return this.healthy.delete(service);
    }
    const next: ServiceInstance[] = [];
    for (const instance of members.values()) if (instance.status === 'Healthy') next.push(instance);
    next.sort(byServiceId);
    if (old && sameInstances(old, next)) return false;
    this.healthy.set(service, next.length ? Object.freeze(next) : EMPTY);
    return true;
  }
}

function keyOf(serviceName: string): string {
  return serviceName.toLowerCase();
}

function byServiceId(a: ServiceInstance, b: ServiceInstance): number {
  return a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0;
}

function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  return a.length === b.length && a.every((instance, i) => sameInstance(instance, b[i]!));
}

/** Same routing-relevant content: a resync snapshot hands over new objects for unchanged instances. */
function sameInstance(a: ServiceInstance, b: ServiceInstance): boolean {
  if (a === b) return true;
  return (
    a.serviceId === b.serviceId &&
    a.serviceName === b.serviceName &&
    a.address === b.address &&
    a.port === b.port &&
    a.scheme === b.scheme &&
    a.status === b.status &&
    sameRecord(a.metadata, b.metadata) &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i]) &&
    a.healthCheck?.endpoint === b.healthCheck?.endpoint
  );
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
