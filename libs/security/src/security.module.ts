import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MeshAuthGuard } from './mesh-auth.guard.js';
import { MeshJwtStrategy } from './mesh-jwt.strategy.js';
import { MeshTokenService } from './mesh-token.service.js';
import { ConfigurableSecurityModule, MESH_SECURITY_MODULE_OPTIONS } from './security.module-definition.js';
import { createServiceTokenProvider, createTokenService, selectGlobalGuard } from './security.providers.js';
import { ServiceTokenProvider } from './service-token.provider.js';

/**
 * Mesh authentication for a Nest app: `MeshTokenService`, `ServiceTokenProvider` (with `identity`),
 * the passport strategy `mesh-jwt` and `MeshAuthGuard`, registered as `APP_GUARD` unless
 * `guard.global` is false. Global module by default.
 *
 * @example
 * SecurityModule.forRoot({ identity: { serviceName: 'orders' } })   // secret from MESH_SERVICE_AUTH_SECRET
 */
@Module({
  providers: [
    { provide: MeshTokenService, useFactory: createTokenService, inject: [MESH_SECURITY_MODULE_OPTIONS] },
    {
      provide: ServiceTokenProvider,
      useFactory: createServiceTokenProvider,
      inject: [MESH_SECURITY_MODULE_OPTIONS, MeshTokenService],
    },
    MeshAuthGuard,
    MeshJwtStrategy,
    {
      provide: APP_GUARD,
      useFactory: selectGlobalGuard,
      inject: [MESH_SECURITY_MODULE_OPTIONS, MeshAuthGuard],
    },
  ],
  exports: [MeshTokenService, ServiceTokenProvider, MeshAuthGuard, MeshJwtStrategy],
})
export class SecurityModule extends ConfigurableSecurityModule {}
