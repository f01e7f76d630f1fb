import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LoadBalancingModuleOptions } from './load-balancing-options.js';

/** Builder output for {@link LoadBalancingModule}: its base class, options token and option types. */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: MESH_LOAD_BALANCING_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LoadBalancingModuleOptions>({ moduleName: 'MeshLoadBalancing' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `LoadBalancingModule.forRoot` accepts: the options plus `isGlobal` (default true). */
export type LoadBalancingModuleForRootOptions = typeof OPTIONS_TYPE;

/** What `LoadBalancingModule.forRootAsync` accepts (`imports`, `inject`, `useFactory`, ... and `isGlobal`). */
export type LoadBalancingModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
