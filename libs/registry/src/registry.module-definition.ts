import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RegistryModuleOptions } from './registry-options.js';

/**
 * `RegistryModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, plus the
 * `isGlobal` extra (default `true`: every module can inject `ServiceRegistry`).
 */
export const {
  ConfigurableModuleClass: RegistryConfigurableModule,
  MODULE_OPTIONS_TOKEN: MESH_REGISTRY_MODULE_OPTIONS,
  OPTIONS_TYPE: REGISTRY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REGISTRY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RegistryModuleOptions>({ moduleName: 'MeshRegistry' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `RegistryModule.forRoot` accepts: {@link RegistryModuleOptions} plus `isGlobal`. */
export type RegistryModuleForRootOptions = typeof REGISTRY_OPTIONS_TYPE;

/** What `RegistryModule.forRootAsync` accepts. */
export type RegistryModuleAsyncOptions = typeof REGISTRY_ASYNC_OPTIONS_TYPE;
