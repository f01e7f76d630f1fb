export { createDiscoveryApp, type DiscoveryApp, type DiscoveryAppInit } from './discovery-app.js';
export { DiscoveryAppModule } from './discovery-app.module.js';
export {
  DISCOVERY_APP_MODULE_OPTIONS,
  DISCOVERY_APP_OPTIONS_TYPE,
  DISCOVERY_APP_ASYNC_OPTIONS_TYPE,
} from './discovery-app.module-definition.js';
export { DISCOVERY_OPTIONS, TOKEN_VERIFIER } from './discovery-app.tokens.js';
export type {
  DiscoveryAppOptions,
  DiscoveryAuthOptions,
  DiscoveryProbingOptions,
  DiscoveryTrackingOptions,
  DiscoveryWatchOptions,
  ResolvedDiscoveryOptions,
} from './config/discovery-options.js';
export { DISCOVERY_DEFAULTS, resolveDiscoveryOptions } from './config/resolve-discovery-options.js';
export { discoveryOptionsFromEnv } from './config/discovery-env.js';
export type { TokenVerifier } from './auth/token-verifier.js';
export { MESH_ROLES } from './auth/discovery-authorizer.service.js';
export { NotOwnerError } from './errors/not-owner.error.js';
export { UnauthenticatedError } from './errors/unauthenticated.error.js';
export { InstanceNotTrackedError } from './errors/instance-not-tracked.error.js';
export { WatchCapacityError } from './errors/watch-capacity.error.js';
export { canonicalRoute, canonicalRouteMiddleware } from './http/canonical-route.js';
export { DiscoveryGrpcServer } from './grpc/discovery-grpc.server.js';
export { discoveryGrpcOptions, DISCOVERY_GRPC_PACKAGE, DISCOVERY_GRPC_SERVICE } from './grpc/grpc-options.js';
