import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceInstance } from '@toskamesh/common';
import { ServiceRegistry } from '@toskamesh/registry';
import { WatchedInstances } from './watched-instances.js';

/**
 * Healthy instances per service, each list followed by a registry watch started on first use and
 * stopped when the application shuts down.
 */
@Injectable()
export class InstanceDirectory implements OnApplicationShutdown {
  private readonly services = new Map<string, WatchedInstances>();

  constructor(private readonly registry: ServiceRegistry) {}

  /** Healthy instances of `serviceName`, waiting at most `timeoutMs` for the first snapshot. */
  async healthy(serviceName: string, timeoutMs: number): Promise<readonly ServiceInstance[]> {
    const watched = this.services.get(serviceName);
    if (watched?.ready) return watched.healthy;
    return this.watch(serviceName).whenReady(timeoutMs);
  }

  /**
   * The cached healthy list without waiting, or `undefined` before the first snapshot: the hot path
   * (a Map lookup and a property read).
   */
  cached(serviceName: string): readonly ServiceInstance[] | undefined {
    const watched = this.services.get(serviceName);
    return watched?.ready ? watched.healthy : undefined;
  }

  onApplicationShutdown(): void {
    for (const watched of this.services.values()) watched.close();
    this.services.clear();
  }

  private watch(serviceName: string): WatchedInstances {
    let watched = this.services.get(serviceName);
    if (!watched) {
      watched = new WatchedInstances(serviceName, this.registry);
      this.services.set(serviceName, watched);
    }
    return watched;
  }
}
