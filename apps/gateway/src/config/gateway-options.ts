import type { LoadBalancingStrategyName } from '@toskamesh/common';

/**
 * Settings of one upstream service that may differ per service (`services.<name>` overrides the
 * top-level `upstream` defaults). Every duration is in milliseconds.
 */
export interface UpstreamPolicy {
  /** Time allowed to open a TCP connection to an instance. @default 2000 */
  connectTimeoutMs?: number;
  /** Time allowed from sending the request until the response headers arrive. @default 30000 */
  requestTimeoutMs?: number;
  /**
   * Load-balancing strategy when an instance's metadata has no `lb_strategy`.
   * @default 'PowerOfTwoChoices'
   */
  strategy?: LoadBalancingStrategyName;
  /** Headers whose value is the consistent-hash key, tried in order; then the client IP. @default ['x-hash-key', 'x-session-id'] */
  hashHeaders?: string[];
  /** Retries of idempotent requests on another instance. */
  retry?: RetryPolicy;
  /** Passive outlier ejection. */
  ejection?: EjectionPolicy;
  /** The per-service circuit breaker. */
  breaker?: BreakerPolicy;
}

/** When and how often a failed idempotent request is tried again on a different instance. */
export interface RetryPolicy {
  /** Extra attempts after the first (0 turns retries off). @default 2 */
  maxRetries?: number;
  /** Share of first attempts that retries may add on top (0.2 = at most +20 % load). @default 0.2 */
  budgetRatio?: number;
  /** Retries always allowed per second whatever the ratio, so a quiet gateway can still retry. @default 10 */
  minRetriesPerSecond?: number;
  /** Largest request body kept in memory so a retry can replay it; larger bodies stream and are not retried. @default 65536 */
  replayBufferBytes?: number;
  /** Upstream statuses that make an idempotent request retriable. @default [502, 503] */
  retryOnStatuses?: number[];
}

/** Passive health: take an instance out of rotation after consecutive failures. */
export interface EjectionPolicy {
  /** Consecutive connect errors / resets / 5xx answers that eject an instance. @default 5 */
  consecutiveFailures?: number;
  /** First ejection period; doubles on each repeat ejection. @default 5000 */
  baseEjectionMs?: number;
  /** Longest ejection period. @default 60000 */
  maxEjectionMs?: number;
}

/** The per-service opossum circuit breaker. */
export interface BreakerPolicy {
  /** Breakers on (per service). @default true */
  enabled?: boolean;
  /** Failure share (0..1) over the window that opens the breaker. @default 0.5 */
  failureThreshold?: number;
  /** Requests in the window before the breaker may open. @default 20 */
  minimumRequests?: number;
  /** Rolling window the failure share is measured over. @default 10000 */
  windowMs?: number;
  /** How long the breaker stays open before letting a probe through (half-open). @default 10000 */
  openMs?: number;
}

/** Optional active probing of every instance's health endpoint. */
export interface ActiveProbeOptions {
  /** @default false */
  enabled?: boolean;
  /** @default 10000 */
  intervalMs?: number;
  /** @default 2000 */
  timeoutMs?: number;
  /** Path probed when an instance's metadata has no `health_check_endpoint`. @default '/health' */
  path?: string;
  /** Consecutive failed probes that eject an instance. @default 2 */
  unhealthyThreshold?: number;
}

/** A route to upstreams outside the mesh, from the static routes YAML file. */
export interface StaticRouteDefinition {
  /** Unique name, used in metrics and the admin API. @default the path prefix */
  name?: string;
  /** Path prefix the route serves, e.g. `/legacy/`. Matched on whole segments. */
  pathPrefix: string;
  /** Upstream base URLs (`http(s)://host:port[/base]`). */
  upstreams: string[];
  /** Remove `pathPrefix` before forwarding. @default true */
  stripPrefix?: boolean;
  /** @default 'RoundRobin' */
  strategy?: LoadBalancingStrategyName;
}

/** JWT validation of incoming requests. */
export interface GatewayJwtOptions {
  /** Validate JWTs on every request that is not public. @default false */
  enabled?: boolean;
  /** HS256 secret (>= 32 characters). */
  secret?: string;
  /** PEM public key for RS256/ES256 tokens. */
  publicKey?: string;
  /** Expected `iss`; not checked when empty. @default '' */
  issuer?: string;
  /** Expected `aud`; not checked when empty. @default '' */
  audience?: string;
  /** @default 30000 */
  clockSkewMs?: number;
}

/** Static API keys, an alternative to a JWT. */
export interface ApiKeyDefinition {
  key: string;
  /** Forwarded as `x-mesh-user`. */
  name: string;
  /** Forwarded as `x-mesh-roles`. @default [] */
  roles?: string[];
}

export interface GatewaySecurityOptions {
  jwt?: GatewayJwtOptions;
  /** @default [] */
  apiKeys?: ApiKeyDefinition[];
  /** Header carrying an API key. @default 'x-api-key' */
  apiKeyHeader?: string;
  /**
   * Path patterns that need no credentials (`*` matches one segment, `**` any rest), matched on the
   * normalised path. @default ['/health', '/health/**', '/metrics']
   */
  publicPaths?: string[];
}

export interface GatewayCorsOptions {
  /** @default false */
  enabled?: boolean;
  /** Allowed origins; `['*']` allows any (then without credentials). @default [] */
  allowedOrigins?: string[];
  /** @default ['GET','HEAD','POST','PUT','PATCH','DELETE','OPTIONS'] */
  allowedMethods?: string[];
  /** @default ['authorization','content-type','x-api-key','x-correlation-id'] */
  allowedHeaders?: string[];
  /** @default [] */
  exposedHeaders?: string[];
  /** @default true when origins are listed (not `*`) */
  allowCredentials?: boolean;
  /** Preflight cache time in seconds. @default 600 */
  maxAgeSeconds?: number;
}

export interface GatewayRateLimitOptions {
  /** @default false */
  enabled?: boolean;
  /** Requests allowed per window per client. @default 100 */
  permitLimit?: number;
  /** @default 60000 */
  windowMs?: number;
  /** What identifies a client: the authenticated user, else the API key, else the IP. @default 'auto' */
  key?: 'auto' | 'ip' | 'apiKey' | 'user';
  /** Where counters live: `redis` shares them between gateway replicas. @default 'memory' */
  store?: 'memory' | 'redis';
  /** Redis URL when `store` is `redis`. @default 'redis://127.0.0.1:6379' */
  redisUrl?: string;
  /** Redis key prefix. @default 'toskamesh:gateway:ratelimit:' */
  redisKeyPrefix?: string;
  /** Trust `X-Forwarded-For` for the client IP only from these peers. @default ['127.0.0.1', '::1'] */
  trustedProxies?: string[];
}

export interface GatewayLimitsOptions {
  /** Largest request body; larger gets 413. @default 10485760 (10 MiB) */
  maxBodyBytes?: number;
  /** Largest request head (request line + headers); larger gets 431. @default 16384 */
  maxHeaderBytes?: number;
}

export interface GatewayTlsOptions {
  /** PEM certificate file; with `keyFile`, the gateway serves HTTPS. */
  certFile?: string;
  keyFile?: string;
}

export interface GatewayAdminOptions {
  /** @default true */
  enabled?: boolean;
  /** @default '/admin' */
  path?: string;
  /** Role a JWT / API key must carry to use the admin API. @default 'admin' */
  role?: string;
}

/** Everything the gateway reads; `Mesh__Gateway__*` environment variables override these. */
export interface GatewayOptions {
  /** @default '0.0.0.0' */
  host?: string;
  /** @default 5000 */
  port?: number;
  /** Prefix of mesh routes; `/api/<service>/<rest>`. Blank means `/`. @default '/api/' */
  routePrefix?: string;
  /** YAML file with `routes:` for non-mesh upstreams. */
  staticRoutesFile?: string;
  /** Static routes given in code, served before those of `staticRoutesFile`. @default [] */
  staticRoutes?: StaticRouteDefinition[];
  /** Defaults for every upstream service. */
  upstream?: UpstreamPolicy;
  /** Per-service overrides of `upstream`. @default {} */
  services?: Record<string, UpstreamPolicy>;
  activeProbes?: ActiveProbeOptions;
  security?: GatewaySecurityOptions;
  cors?: GatewayCorsOptions;
  rateLimit?: GatewayRateLimitOptions;
  limits?: GatewayLimitsOptions;
  tls?: GatewayTlsOptions;
  admin?: GatewayAdminOptions;
  /** Access log per request. @default true */
  accessLog?: boolean;
  /**
   * Forwarding engine: `node-http` (node:http with keep-alive agents) or `http-proxy-middleware` (on
   * httpxy). Both pass the same tests; `node-http` is the default on evidence: bench/gateway measured it at
   * about 0.8x the CPU per request of http-proxy-middleware inside the gateway.
   * @default 'node-http'
   */
  engine?: 'http-proxy-middleware' | 'node-http';
}
