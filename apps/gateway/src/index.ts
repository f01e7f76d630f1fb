export { startGateway, type GatewayHandle, type GatewayStartOptions } from './start-gateway.js';
export { GatewayModule, type GatewayModuleConfig } from './gateway.module.js';
export { GATEWAY_OPTIONS, GATEWAY_RATE_LIMITER } from './gateway.tokens.js';

export type {
  ActiveProbeOptions,
  ApiKeyDefinition,
  BreakerPolicy,
  EjectionPolicy,
  GatewayAdminOptions,
  GatewayCorsOptions,
  GatewayJwtOptions,
  GatewayLimitsOptions,
  GatewayOptions,
  GatewayRateLimitOptions,
  GatewaySecurityOptions,
  GatewayTlsOptions,
  RetryPolicy,
  StaticRouteDefinition,
  UpstreamPolicy,
} from './config/gateway-options.js';
export type {
  ResolvedGatewayOptions,
  ResolvedStaticRoute,
  ResolvedUpstreamPolicy,
} from './config/resolved-gateway-options.js';
export { GATEWAY_DEFAULTS, resolveGatewayOptions } from './config/resolve-gateway-options.js';
export { UPSTREAM_DEFAULTS } from './config/resolve-upstream-policy.js';
export { EDGE_DEFAULTS } from './config/resolve-edge-options.js';
export { gatewayOptionsFromEnv } from './config/gateway-env.js';
export {
  DEFAULT_DISCOVERY_URL,
  GATEWAY_SERVICE_NAME,
  gatewayRegistryOptions,
} from './config/gateway-registry-options.js';

export { GatewayRuntime } from './server/gateway-runtime.js';
export { GATEWAY_METRICS, NO_SERVICE } from './observability/gateway-metrics.js';
