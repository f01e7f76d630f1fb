import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MESH_KEY_VALUE_MODULE_OPTIONS } from './key-value.module-definition.js';
import type { KeyValueModuleOptions } from './key-value-options.js';
import { isKeyValueStore } from './key-value-store.factory.js';
import { KeyValueStore } from './key-value-store.js';

/**
 * Closes the store the module created once the app has shut down. It runs in `onApplicationShutdown`,
 * after every `beforeApplicationShutdown` hook, so services can still write their last state. A store
 * passed in as `provider` belongs to the caller and is left open.
 */
@Injectable()
export class KeyValueShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(KeyValueStore) private readonly store: KeyValueStore,
    @Inject(MESH_KEY_VALUE_MODULE_OPTIONS) private readonly options: KeyValueModuleOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (isKeyValueStore(this.options.provider)) return;
    await this.store.close();
  }
}
