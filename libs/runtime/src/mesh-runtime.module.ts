import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { MESH_SERVICE_NAME } from '@toskamesh/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoadBalancingModule } from '@toskamesh/load-balancing';
import { RegistryModule } from '@toskamesh/registry';
import { ResilienceModule } from '@toskamesh/resilience';
import { MeshAuthGuard, SecurityModule, ServiceTokenProvider } from '@toskamesh/security';
import { TelemetryModule } from '@toskamesh/telemetry';
import { InstanceDirectory } from './client/instance-directory.js';
import { MeshClient } from './client/mesh-client.js';
import { MeshHealthController } from './health/mesh-health.controller.js';
import { MeshHealthService } from './health/mesh-health.service.js';
import { MeshRuntimeAuthGuard } from './http/mesh-runtime-auth.guard.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { ConnectionDrain } from './lifecycle/connection-drain.js';
import { DrainState } from './lifecycle/drain-state.js';
import {
  MESH_RUNTIME_ASYNC_OPTIONS_TYPE,
  MESH_RUNTIME_MODULE_OPTIONS,
  MESH_RUNTIME_OPTIONS_TYPE,
  MeshRuntimeConfigurableModule,
} from './mesh-runtime.module-definition.js';
import type { MeshRuntimeModuleOptions } from './options/mesh-runtime-options.js';
import { resolveRuntimeOptions } from './options/resolve-runtime-options.js';
import type { ResolvedMeshRuntimeOptions } from './options/resolved-runtime-options.js';
import { RESOLVED_RUNTIME_OPTIONS } from './options/runtime-options.token.js';
import { MeshRegistrationService } from './registration/mesh-registration.service.js';
import { RegistryContact } from './registration/registry-contact.js';

/** Holds the option providers so the nested modules' async factories can inject the resolved options. */
@Module({})
class MeshRuntimeOptionsModule {}

/**
 * Everything a mesh service needs, with no further code: registration after the HTTP server listens,
 * heartbeats, deregistration and drain on shutdown, `/health`, `/health/live`, `/health/ready`,
 * `/metrics` with RED metrics, trace context and correlation ids in logs, a global JWT guard (opt out with
 * `@Public()`), problem+json errors, and `MeshClient` for calling other services.
 */
@Module({})
export class MeshRuntimeModule extends MeshRuntimeConfigurableModule {
  static override forRoot(options: typeof MESH_RUNTIME_OPTIONS_TYPE = {}): DynamicModule {
    return assemble(super.forRoot(options));
  }

  static override forRootAsync(options: typeof MESH_RUNTIME_ASYNC_OPTIONS_TYPE): DynamicModule {
    return assemble(super.forRootAsync(options));
  }
}

const resolvedOptionsProvider: Provider = {
  provide: RESOLVED_RUNTIME_OPTIONS,
  useFactory: (options: MeshRuntimeModuleOptions) => resolveRuntimeOptions(options),
  inject: [MESH_RUNTIME_MODULE_OPTIONS],
};

/** The service name as a plain token, so libraries below the runtime can default to it. */
const serviceNameProvider: Provider = {
  provide: MESH_SERVICE_NAME,
  useFactory: (options: ResolvedMeshRuntimeOptions) => options.service.name,
  inject: [RESOLVED_RUNTIME_OPTIONS],
};

function assemble(base: DynamicModule): DynamicModule {
  const optionsModule: DynamicModule = {
    module: MeshRuntimeOptionsModule,
    imports: base.imports ?? [],
    providers: [...(base.providers ?? []), resolvedOptionsProvider, serviceNameProvider],
    exports: [MESH_RUNTIME_MODULE_OPTIONS, RESOLVED_RUNTIME_OPTIONS, MESH_SERVICE_NAME],
  };
  const fromOptions = { imports: [optionsModule], inject: [RESOLVED_RUNTIME_OPTIONS] };
  return {
    module: base.module,
    global: true,
    imports: [
      optionsModule,
      TerminusModule,
      TelemetryModule.forRootAsync({ ...fromOptions, useFactory: telemetryOptions }),
      SecurityModule.forRootAsync({ ...fromOptions, useFactory: securityOptions }),
      RegistryModule.forRootAsync({
        imports: [optionsModule],
        inject: [RESOLVED_RUNTIME_OPTIONS, { token: ServiceTokenProvider, optional: true }],
        useFactory: registryOptions,
      }),
      LoadBalancingModule.forRoot({}),
      ResilienceModule.forRoot({}),
    ],
    controllers: [MeshHealthController],
    providers: [
      DrainState,
      ConnectionDrain,
      RegistryContact,
      MeshRegistrationService,
      MeshHealthService,
      InstanceDirectory,
      MeshClient,
      MeshAuthGuard,
      { provide: APP_GUARD, useClass: MeshRuntimeAuthGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    ],
    exports: [optionsModule, MeshClient, MeshHealthService, MeshRegistrationService, DrainState],
  };
}

function telemetryOptions(options: ResolvedMeshRuntimeOptions) {
  return {
    serviceName: options.service.name,
    metrics: options.metrics,
    logging: options.logging,
    tracing: options.tracing,
  };
}

function securityOptions(options: ResolvedMeshRuntimeOptions) {
  const { auth, service } = options;
  return {
    serviceAuth: {
      secret: auth.secret,
      issuer: auth.issuer,
      audience: auth.audience,
      // A service that verifies nothing still signs its registry calls; it may do so with a throwaway key.
      allowEphemeralSecret: auth.allowEphemeralSecret || !auth.enabled,
    },
    identity: { serviceName: service.name, serviceId: service.id, roles: auth.roles },
    guard: { global: false },
  };
}

function registryOptions(options: ResolvedMeshRuntimeOptions, tokens?: ServiceTokenProvider) {
  const { registry } = options;
  if (!registry.discovery || !tokens) return registry;
  return { ...registry, discovery: { ...registry.discovery, authToken: () => tokens.getToken() } };
}
