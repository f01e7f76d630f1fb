import { Module } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KeyValueHealthIndicator } from './health/key-value.health.js';
import { KeyValueConfigurableModule, MESH_KEY_VALUE_MODULE_OPTIONS } from './key-value.module-definition.js';
import { KeyValueShutdown } from './key-value-shutdown.service.js';
import { createKeyValueStore } from './key-value-store.factory.js';
import { KeyValueStore } from './key-value-store.js';

/**
 * Provides {@link KeyValueStore} (the abstract class is the DI token) and {@link KeyValueHealthIndicator}
 * from `forRoot(options)` or `forRootAsync(...)`, and closes the store when the app shuts down.
 */
@Module({
  providers: [
    { provide: KeyValueStore, useFactory: createKeyValueStore, inject: [MESH_KEY_VALUE_MODULE_OPTIONS] },
    // terminus' session factory is stateless apart from a result cache; a private one avoids requiring TerminusModule.
    HealthIndicatorService,
    KeyValueHealthIndicator,
    KeyValueShutdown,
  ],
  exports: [KeyValueStore, KeyValueHealthIndicator],
})
export class KeyValueModule extends KeyValueConfigurableModule {}
