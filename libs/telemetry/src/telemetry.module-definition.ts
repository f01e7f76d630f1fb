import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TelemetryModuleOptions } from './telemetry-options.js';

/** Injection token of the {@link ResolvedTelemetryOptions} (defaults applied, validated). */
export const TELEMETRY_OPTIONS = Symbol.for('toskamesh.telemetry.options');

/** Builder output behind `TelemetryModule.forRoot` / `forRootAsync`; `isGlobal` defaults to true. */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: TELEMETRY_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TelemetryModuleOptions>({ moduleName: 'MeshTelemetry' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
