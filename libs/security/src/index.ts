export { InvalidTokenError, type InvalidTokenReason } from './errors/invalid-token.error.js';
export { MissingTokenError } from './errors/missing-token.error.js';
export { ForbiddenError, type AccessRequirement } from './errors/forbidden.error.js';

export {
  DEFAULT_MESH_TOKEN_AUDIENCE,
  MESH_ROLES,
  MESH_TOKEN_ALGORITHMS,
  SERVICE_ROLE,
  type MeshTokenAlgorithm,
  type SecurityGuardOptions,
  type SecurityModuleOptions,
  type ServiceAuthOptions,
  type ServiceIdentityOptions,
} from './security-options.js';
export {
  DEFAULT_CLOCK_SKEW_MS,
  DEFAULT_TOKEN_LIFETIME_MS,
  applyServiceAuthDefaults,
  resolveServiceAuthOptions,
  type ResolvedServiceAuthOptions,
} from './service-auth.options.js';
export { MIN_SECRET_LENGTH, secretProblem } from './secret-rules.js';

export {
  DOTNET_CLAIMS,
  hasAnyRole,
  missingScopes,
  principalFromClaims,
  type MeshPrincipal,
} from './mesh-principal.js';
export {
  MeshTokenService,
  type IssueTokenOptions,
  type MeshTokenClaims,
  type MeshTokenServiceOptions,
} from './mesh-token.service.js';
export {
  ServiceTokenProvider,
  type ResolvedServiceIdentity,
  type ServiceTokenProviderOptions,
} from './service-token.provider.js';

export { SecurityModule } from './security.module.js';
export {
  MESH_SECURITY_MODULE_OPTIONS,
  type SecurityModuleAsyncOptions,
  type SecurityModuleForRootOptions,
} from './security.module-definition.js';
export { MeshAuthGuard } from './mesh-auth.guard.js';
export { MESH_JWT_STRATEGY, MeshJwtStrategy } from './mesh-jwt.strategy.js';
export { Public, PublicMetadata } from './decorators/public.decorator.js';
export { Roles, RolesMetadata } from './decorators/roles.decorator.js';
export { Scopes, ScopesMetadata } from './decorators/scopes.decorator.js';
export { CurrentPrincipal } from './decorators/current-principal.decorator.js';
export { principalOf } from './principal-context.js';
export { bearerFromHeader } from './bearer-token.js';
export { httpAuthFailure, isAuthFailure, type HttpAuthFailure } from './auth-failure.js';
