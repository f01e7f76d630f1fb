import { Logger } from '@nestjs/common';
import { withTimeout, type ServiceInstance } from '@toskamesh/common';
import type { RegistryChange, ServiceRegistry } from '@toskamesh/registry';

/**
 * The live instance list of one service, kept current by `ServiceRegistry.watch()` (push, no polling).
 * `healthy` is recomputed on every change so a lookup is a property read.
 */
export class WatchedInstances {
  private readonly logger = new Logger('MeshClient');
  private readonly byId = new Map<string, ServiceInstance>();
  private readonly stop = new AbortController();
  private firstSnapshot: Promise<void>;
  private markReady!: () => void;
  /** Healthy instances, sorted by id; replaced (never mutated) on change. */
  healthy: readonly ServiceInstance[] = [];
  /** True once the first snapshot arrived. */
  ready = false;

  constructor(
    readonly serviceName: string,
    private readonly registry: ServiceRegistry,
  ) {
    this.firstSnapshot = new Promise((resolve) => (this.markReady = resolve));
    void this.follow().catch((error: unknown) =>
      this.logger.warn(`Watch of "${serviceName}" ended: ${String(error)}`),
    );
  }

  /** Waits (bounded) for the first snapshot; falls back to a one-off query if the watch is slow. */
  async whenReady(timeoutMs: number): Promise<readonly ServiceInstance[]> {
    if (this.ready) return this.healthy;
    try {
      await withTimeout(`first snapshot of ${this.serviceName}`, timeoutMs, () => this.firstSnapshot);
    } catch {
      const instances = await this.registry.instances(this.serviceName, { healthyOnly: true });
      if (!this.ready) this.replace(instances);
    }
    return this.healthy;
  }

  close(): void {
    this.stop.abort();
  }

  private async follow(): Promise<void> {
    for await (const change of this.registry.watch(this.serviceName, { signal: this.stop.signal })) {
      this.apply(change);
    }
  }

  private apply(change: RegistryChange): void {
    if (change.type === 'snapshot') return this.replace(change.instances);
    if (change.type === 'deregister') this.byId.delete(change.instance.serviceId);
    else this.byId.set(change.instance.serviceId, change.instance);
    this.publish();
  }

  private replace(instances: readonly ServiceInstance[]): void {
    this.byId.clear();
    for (const instance of instances) this.byId.set(instance.serviceId, instance);
    this.publish();
  }

  private publish(): void {
    this.healthy = [...this.byId.values()]
      .filter((instance) => instance.status === 'Healthy')
      .sort((a, b) => a.serviceId.localeCompare(b.serviceId));
    if (!this.ready) {
      this.ready = true;
      this.markReady();
    }
  }
}
