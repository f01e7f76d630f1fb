import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MeshRuntimeModuleOptions } from './options/mesh-runtime-options.js';

/** Builder output of `MeshRuntimeModule`: forRoot / forRootAsync; the module is always global. */
export const {
  ConfigurableModuleClass: MeshRuntimeConfigurableModule,
  MODULE_OPTIONS_TOKEN: MESH_RUNTIME_MODULE_OPTIONS,
  OPTIONS_TYPE: MESH_RUNTIME_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MESH_RUNTIME_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MeshRuntimeModuleOptions>({ moduleName: 'MeshRuntime' })
  .setClassMethodName('forRoot')
  .build();

/** Argument of `MeshRuntimeModule.forRootAsync`: `imports`, `inject`, `useFactory` / `useClass`. */
export type MeshRuntimeModuleAsyncOptions = typeof MESH_RUNTIME_ASYNC_OPTIONS_TYPE;
