import type { LoadBalancingStrategyName } from '@toskamesh/common';
import type { ApiKeyDefinition, GatewayOptions, StaticRouteDefinition } from './gateway-options.js';

/** {@link UpstreamPolicy} with every default applied. */
export interface ResolvedUpstreamPolicy {
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly strategy: LoadBalancingStrategyName;
  readonly hashHeaders: readonly string[];
  readonly retry: {
    readonly maxRetries: number;
    readonly budgetRatio: number;
    readonly minRetriesPerSecond: number;
    readonly replayBufferBytes: number;
    readonly retryOnStatuses: readonly number[];
  };
  readonly ejection: {
    readonly consecutiveFailures: number;
    readonly baseEjectionMs: number;
    readonly maxEjectionMs: number;
  };
  readonly breaker: {
    readonly enabled: boolean;
    readonly failureThreshold: number;
    readonly minimumRequests: number;
    readonly windowMs: number;
    readonly openMs: number;
  };
}

/** A static route with defaults applied and URLs parsed. */
export interface ResolvedStaticRoute {
  readonly name: string;
  /** Normalised: starts and ends with `/`. */
  readonly pathPrefix: string;
  readonly upstreams: readonly URL[];
  readonly stripPrefix: boolean;
  readonly strategy: LoadBalancingStrategyName;
}

/** {@link GatewayOptions} with every default applied and every value checked. */
export interface ResolvedGatewayOptions {
  readonly host: string;
  readonly port: number;
  /** Normalised: starts and ends with `/` (`/` when blank). */
  readonly routePrefix: string;
  readonly staticRoutes: readonly ResolvedStaticRoute[];
  readonly upstream: ResolvedUpstreamPolicy;
  /** Keys lower-cased service names. */
  readonly services: ReadonlyMap<string, ResolvedUpstreamPolicy>;
  readonly activeProbes: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly path: string;
    readonly unhealthyThreshold: number;
  };
  readonly security: {
    readonly jwt: {
      readonly enabled: boolean;
      readonly secret?: string;
      readonly publicKey?: string;
      readonly issuer: string;
      readonly audience: string;
      readonly clockSkewMs: number;
    };
    readonly apiKeys: readonly Required<ApiKeyDefinition>[];
    readonly apiKeyHeader: string;
    readonly publicPaths: readonly string[];
  };
  readonly cors: {
    readonly enabled: boolean;
    readonly allowedOrigins: readonly string[];
    readonly allowedMethods: readonly string[];
    readonly allowedHeaders: readonly string[];
    readonly exposedHeaders: readonly string[];
    readonly allowCredentials: boolean;
    readonly maxAgeSeconds: number;
  };
  readonly rateLimit: {
    readonly enabled: boolean;
    readonly permitLimit: number;
    readonly windowMs: number;
    readonly key: 'auto' | 'ip' | 'apiKey' | 'user';
    readonly store: 'memory' | 'redis';
    readonly redisUrl: string;
    readonly redisKeyPrefix: string;
    readonly trustedProxies: readonly string[];
  };
  readonly limits: { readonly maxBodyBytes: number; readonly maxHeaderBytes: number };
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly admin: { readonly enabled: boolean; readonly path: string; readonly role: string };
  readonly accessLog: boolean;
  readonly engine: NonNullable<GatewayOptions['engine']>;
}

export type { StaticRouteDefinition };
