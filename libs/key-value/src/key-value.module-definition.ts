import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { KeyValueModuleOptions } from './key-value-options.js';

/**
 * `KeyValueModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, plus the
 * `isGlobal` extra (default `true`: every module can inject `KeyValueStore`).
 */
export const {
  ConfigurableModuleClass: KeyValueConfigurableModule,
  MODULE_OPTIONS_TOKEN: MESH_KEY_VALUE_MODULE_OPTIONS,
  OPTIONS_TYPE: KEY_VALUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: KEY_VALUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<KeyValueModuleOptions>({ moduleName: 'MeshKeyValue' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `KeyValueModule.forRoot` accepts: {@link KeyValueModuleOptions} plus `isGlobal`. */
export type KeyValueModuleForRootOptions = typeof KEY_VALUE_OPTIONS_TYPE;

/** What `KeyValueModule.forRootAsync` accepts. */
export type KeyValueModuleAsyncOptions = typeof KEY_VALUE_ASYNC_OPTIONS_TYPE;
