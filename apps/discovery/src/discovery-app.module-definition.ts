import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DiscoveryAppOptions } from './config/discovery-options.js';

/** Builder output of {@link DiscoveryAppModule}: `forRoot(options)` / `forRootAsync({ useFactory, inject })`. */
export const {
  ConfigurableModuleClass: DiscoveryAppModuleClass,
  MODULE_OPTIONS_TOKEN: DISCOVERY_APP_MODULE_OPTIONS,
  OPTIONS_TYPE: DISCOVERY_APP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DISCOVERY_APP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DiscoveryAppOptions>({ moduleName: 'MeshDiscoveryApp' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
