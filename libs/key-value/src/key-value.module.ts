import { Module } from '@nestjs/common';
import { MESH_SERVICE_NAME } from '@toskamesh/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KeyValueHealthIndicator } from './health/key-value.health.js';
import { KeyValueConfigurableModule, MESH_KEY_VALUE_MODULE_OPTIONS } from './key-value.module-definition.js';
import { KeyValueShutdown } from './key-value-shutdown.service.js';
import { createKeyValueStore } from './key-value-store.factory.js';
import type { KeyValueModuleOptions } from './key-value-options.js';
import { KeyValueStore } from './key-value-store.js';

/**
 * Provides {@link KeyValueStore} (the abstract class is the DI token) and {@link KeyValueHealthIndicator}
 * from `forRoot(options)` or `forRootAsync(...)`, and closes the store when the app shuts down.
 */
@Module({
  providers: [
    {
      provide: KeyValueStore,
      useFactory: storeForService,
      inject: [MESH_KEY_VALUE_MODULE_OPTIONS, { token: MESH_SERVICE_NAME, optional: true }],
    },
    // terminus' session factory is stateless apart from a result cache; a private one avoids requiring TerminusModule.
    HealthIndicatorService,
    KeyValueHealthIndicator,
    KeyValueShutdown,
  ],
  exports: [KeyValueStore, KeyValueHealthIndicator],
})
export class KeyValueModule extends KeyValueConfigurableModule {}

/** The store of `options`; under `MeshRuntimeModule` the key prefix defaults to the service name. */
export function storeForService(options: KeyValueModuleOptions, serviceName?: string): KeyValueStore {
  const keyPrefix = options.keyPrefix ?? serviceName;
  return createKeyValueStore(keyPrefix === undefined ? options : { ...options, keyPrefix });
}
