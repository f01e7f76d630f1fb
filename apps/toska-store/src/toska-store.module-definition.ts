import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ToskaStoreOptions } from './config/toska-store-options.js';

/** Options of `ToskaStoreModule.forRoot`: any subset of {@link ToskaStoreOptions}; the rest are defaults. */
export type ToskaStoreModuleOptions = Partial<ToskaStoreOptions>;

/** Builder output of {@link ToskaStoreModule}: `forRoot(options)` / `forRootAsync({ useFactory, inject })`. */
export const {
  ConfigurableModuleClass: ToskaStoreModuleClass,
  MODULE_OPTIONS_TOKEN: TOSKA_STORE_MODULE_OPTIONS,
  OPTIONS_TYPE: TOSKA_STORE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TOSKA_STORE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ToskaStoreModuleOptions>({ moduleName: 'MeshToskaStore' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
