import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MESH_REGISTRY_MODULE_OPTIONS } from './registry.module-definition.js';
import type { RegistryModuleOptions } from './registry-options.js';
import { isServiceRegistry } from './service-registry.factory.js';
import { ServiceRegistry } from './service-registry.js';

/**
 * Closes the registry the module created once the app has shut down. It runs in
 * `onApplicationShutdown`, after every `beforeApplicationShutdown` hook, so the runtime can still
 * deregister first. A registry passed in as `provider` belongs to the caller and is left open.
 */
@Injectable()
export class RegistryShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(ServiceRegistry) private readonly registry: ServiceRegistry,
    @Inject(MESH_REGISTRY_MODULE_OPTIONS) private readonly options: RegistryModuleOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (isServiceRegistry(this.options.provider)) return;
    await this.registry.close();
  }
}
