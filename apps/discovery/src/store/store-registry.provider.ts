import { Inject, Injectable, type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import {
  ServiceRegistry,
  createServiceRegistry,
  isServiceRegistry,
  type RegistryModuleOptions,
} from '@toskamesh/registry';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';

/** Builds the backing registry named by `store` (a ready instance is used as it is). */
export function createStoreRegistry(store: RegistryModuleOptions): ServiceRegistry {
  return createServiceRegistry(store);
}

/** `ServiceRegistry` for the whole app, from the validated options. */
export const storeRegistryProvider: FactoryProvider<ServiceRegistry> = {
  provide: ServiceRegistry,
  useFactory: (options: ResolvedDiscoveryOptions) => createStoreRegistry(options.store),
  inject: [DISCOVERY_OPTIONS],
};

/**
 * Closes the registry the app created, last (after the change feed and prober stopped in
 * `onModuleDestroy`). A registry handed in as an instance belongs to the caller and stays open.
 */
@Injectable()
export class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly registry: ServiceRegistry,
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!isServiceRegistry(this.options.store.provider)) await this.registry.close();
  }
}
