import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SecurityModuleOptions } from './security-options.js';

/** Builder output of `SecurityModule`: forRoot/forRootAsync, global by default (`isGlobal: false` opts out). */
export const {
  ConfigurableModuleClass: ConfigurableSecurityModule,
  MODULE_OPTIONS_TOKEN: MESH_SECURITY_MODULE_OPTIONS,
  OPTIONS_TYPE: SECURITY_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SECURITY_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SecurityModuleOptions>({ moduleName: 'MeshSecurity' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** Argument of `SecurityModule.forRoot`: the module options plus `isGlobal`. */
export type SecurityModuleForRootOptions = typeof SECURITY_MODULE_OPTIONS_TYPE;

/** Argument of `SecurityModule.forRootAsync`: `imports`, `inject`, `useFactory`/`useClass`/`useExisting`, `isGlobal`. */
export type SecurityModuleAsyncOptions = typeof SECURITY_MODULE_ASYNC_OPTIONS_TYPE;
