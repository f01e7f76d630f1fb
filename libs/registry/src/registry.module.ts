import { Module } from '@nestjs/common';
import { MESH_REGISTRY_MODULE_OPTIONS, RegistryConfigurableModule } from './registry.module-definition.js';
import { RegistryShutdown } from './registry-shutdown.service.js';
import { createServiceRegistry } from './service-registry.factory.js';
import { ServiceRegistry } from './service-registry.js';

/**
 * Provides {@link ServiceRegistry} (the abstract class is the DI token) from `forRoot(options)` or
 * `forRootAsync(...)`, and closes it when the app shuts down.
 */
@Module({
  providers: [
    { provide: ServiceRegistry, useFactory: createServiceRegistry, inject: [MESH_REGISTRY_MODULE_OPTIONS] },
    RegistryShutdown,
  ],
  exports: [ServiceRegistry],
})
export class RegistryModule extends RegistryConfigurableModule {}
