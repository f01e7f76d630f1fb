import {
  configBool,
  configDurationMs,
  configInt,
  readEnvTree,
  treeSection,
  treeValue,
  type ConfigTree,
} from '@toskamesh/common';
import type {
  ApiKeyDefinition,
  GatewayOptions,
  GatewaySecurityOptions,
  UpstreamPolicy,
} from './gateway-options.js';
import { configIntList, configNumber, indexedEntries, pruned, treeList, treeText } from './env-values.js';
import { legacyGatewayOptions } from './legacy-env.js';
import { mergeOptions } from './merge-options.js';

type Env = Record<string, string | undefined>;

/**
 * Reads {@link GatewayOptions} from `Mesh__Gateway__*` variables (keys case-insensitive, `__` or `:` between
 * sections; each key is the option's path, e.g. `Mesh__Gateway__Upstream__Retry__MaxRetries`,
 * `Mesh__Gateway__Services__orders__RequestTimeoutMs`, `Mesh__Gateway__Security__ApiKeys__0__Key`), plus
 * the .NET original's keys (`Mesh__Gateway__Routing__RoutePrefix`, `Mesh__Gateway__Resilience__*`,
 * `RateLimit__*`, `Cors__*`, `Jwt__*`) and `PORT`. `*Ms` values take a duration (`2000`, `2s`,
 * `00:00:02`); lists are comma-separated or indexed (`__0`, `__1`). Only keys that are set appear;
 * a `Mesh__Gateway__*` key wins over the original's spelling of the same option. A malformed value throws
 * `MeshConfigError` naming the variable; ranges are checked by `resolveGatewayOptions`.
 */
export function gatewayOptionsFromEnv(env: Env = process.env): GatewayOptions {
  const gateway = treeSection(readEnvTree(env, 'Mesh'), 'gateway');
  return mergeOptions(legacyGatewayOptions(env, gateway), nativeOptions(gateway));
}

const K = (path: string) => `Mesh__Gateway__${path}`;

function nativeOptions(tree: ConfigTree): GatewayOptions {
  const section = (name: string) => treeSection(tree, name);
  return (
    pruned<GatewayOptions>({
      host: treeText(tree, 'host'),
      port: configInt(K('Port'), treeValue(tree, 'port'), { min: 0, max: 65535 }),
      // Blank is meaningful here (routes at `/`), so it is not dropped.
      routePrefix: treeValue(tree, 'routePrefix'),
      staticRoutesFile: treeText(tree, 'staticRoutesFile'),
      upstream: upstreamPolicy(section('upstream'), 'Upstream'),
      services: servicePolicies(section('services')),
      activeProbes: pruned({
        enabled: configBool(K('ActiveProbes__Enabled'), treeValue(section('activeProbes'), 'enabled')),
        intervalMs: ms('ActiveProbes__IntervalMs', section('activeProbes'), 'intervalMs'),
        timeoutMs: ms('ActiveProbes__TimeoutMs', section('activeProbes'), 'timeoutMs'),
        path: treeText(section('activeProbes'), 'path'),
        unhealthyThreshold: int(
          'ActiveProbes__UnhealthyThreshold',
          section('activeProbes'),
          'unhealthyThreshold',
        ),
      }),
      security: securityOptions(section('security')),
      cors: corsOptions(section('cors')),
      rateLimit: rateLimitOptions(section('rateLimit')),
      limits: pruned({
        maxBodyBytes: int('Limits__MaxBodyBytes', section('limits'), 'maxBodyBytes'),
        maxHeaderBytes: int('Limits__MaxHeaderBytes', section('limits'), 'maxHeaderBytes'),
      }),
      tls: pruned({
        certFile: treeText(section('tls'), 'certFile'),
        keyFile: treeText(section('tls'), 'keyFile'),
      }),
      admin: pruned({
        enabled: configBool(K('Admin__Enabled'), treeValue(section('admin'), 'enabled')),
        path: treeText(section('admin'), 'path'),
        role: treeText(section('admin'), 'role'),
      }),
      accessLog: configBool(K('AccessLog'), treeValue(tree, 'accessLog')),
      engine: treeText(tree, 'engine') as GatewayOptions['engine'],
    }) ?? {}
  );
}

function int(path: string, tree: ConfigTree, name: string): number | undefined {
  return configInt(K(path), treeValue(tree, name));
}

function ms(path: string, tree: ConfigTree, name: string): number | undefined {
  return configDurationMs(K(path), treeValue(tree, name), 'ms');
}

/** `Upstream__*` or `Services__<name>__*`. */
function upstreamPolicy(tree: ConfigTree, at: string): UpstreamPolicy | undefined {
  const retry = treeSection(tree, 'retry');
  const ejection = treeSection(tree, 'ejection');
  const breaker = treeSection(tree, 'breaker');
  return pruned<UpstreamPolicy>({
    connectTimeoutMs: ms(`${at}__ConnectTimeoutMs`, tree, 'connectTimeoutMs'),
    requestTimeoutMs: ms(`${at}__RequestTimeoutMs`, tree, 'requestTimeoutMs'),
    strategy: treeText(tree, 'strategy') as UpstreamPolicy['strategy'],
    hashHeaders: treeList(tree, 'hashHeaders'),
    retry: pruned({
      maxRetries: int(`${at}__Retry__MaxRetries`, retry, 'maxRetries'),
      budgetRatio: configNumber(K(`${at}__Retry__BudgetRatio`), treeValue(retry, 'budgetRatio')),
      minRetriesPerSecond: int(`${at}__Retry__MinRetriesPerSecond`, retry, 'minRetriesPerSecond'),
      replayBufferBytes: int(`${at}__Retry__ReplayBufferBytes`, retry, 'replayBufferBytes'),
      retryOnStatuses: configIntList(K(`${at}__Retry__RetryOnStatuses`), retry, 'retryOnStatuses'),
    }),
    ejection: pruned({
      consecutiveFailures: int(`${at}__Ejection__ConsecutiveFailures`, ejection, 'consecutiveFailures'),
      baseEjectionMs: ms(`${at}__Ejection__BaseEjectionMs`, ejection, 'baseEjectionMs'),
      maxEjectionMs: ms(`${at}__Ejection__MaxEjectionMs`, ejection, 'maxEjectionMs'),
    }),
    breaker: pruned({
      enabled: configBool(K(`${at}__Breaker__Enabled`), treeValue(breaker, 'enabled')),
      failureThreshold: configNumber(
        K(`${at}__Breaker__FailureThreshold`),
        treeValue(breaker, 'failureThreshold'),
      ),
      minimumRequests: int(`${at}__Breaker__MinimumRequests`, breaker, 'minimumRequests'),
      windowMs: ms(`${at}__Breaker__WindowMs`, breaker, 'windowMs'),
      openMs: ms(`${at}__Breaker__OpenMs`, breaker, 'openMs'),
    }),
  });
}

function servicePolicies(tree: ConfigTree): Record<string, UpstreamPolicy> | undefined {
  const entries = Object.entries(tree).flatMap(([name, node]) => {
    const policy = typeof node === 'object' ? upstreamPolicy(node, `Services__${name}`) : undefined;
    return policy ? [[name, policy] as const] : [];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function securityOptions(tree: ConfigTree): GatewaySecurityOptions | undefined {
  const jwt = treeSection(tree, 'jwt');
  return pruned<GatewaySecurityOptions>({
    jwt: pruned({
      enabled: configBool(K('Security__Jwt__Enabled'), treeValue(jwt, 'enabled')),
      secret: treeText(jwt, 'secret'),
      publicKey: treeText(jwt, 'publicKey'),
      issuer: treeText(jwt, 'issuer'),
      audience: treeText(jwt, 'audience'),
      clockSkewMs: ms('Security__Jwt__ClockSkewMs', jwt, 'clockSkewMs'),
    }),
    apiKeys: apiKeys(treeSection(tree, 'apiKeys')),
    apiKeyHeader: treeText(tree, 'apiKeyHeader'),
    publicPaths: treeList(tree, 'publicPaths'),
  });
}

/** `Security__ApiKeys__<i>__Key`, `__Name`, `__Roles` (comma-separated or indexed). */
function apiKeys(tree: ConfigTree): ApiKeyDefinition[] | undefined {
  const keys = indexedEntries(tree).flatMap(([, node]) =>
    typeof node === 'object'
      ? [
          pruned({
            key: treeValue(node, 'key') ?? '',
            name: treeValue(node, 'name') ?? '',
            roles: treeList(node, 'roles'),
          })!,
        ]
      : [],
  );
  return keys.length ? keys : undefined;
}

function corsOptions(tree: ConfigTree): GatewayOptions['cors'] {
  return pruned({
    enabled: configBool(K('Cors__Enabled'), treeValue(tree, 'enabled')),
    allowedOrigins: treeList(tree, 'allowedOrigins'),
    allowedMethods: treeList(tree, 'allowedMethods'),
    allowedHeaders: treeList(tree, 'allowedHeaders'),
    exposedHeaders: treeList(tree, 'exposedHeaders'),
    allowCredentials: configBool(K('Cors__AllowCredentials'), treeValue(tree, 'allowCredentials')),
    maxAgeSeconds: int('Cors__MaxAgeSeconds', tree, 'maxAgeSeconds'),
  });
}

function rateLimitOptions(tree: ConfigTree): GatewayOptions['rateLimit'] {
  return pruned({
    enabled: configBool(K('RateLimit__Enabled'), treeValue(tree, 'enabled')),
    permitLimit: int('RateLimit__PermitLimit', tree, 'permitLimit'),
    windowMs: ms('RateLimit__WindowMs', tree, 'windowMs'),
    key: treeText(tree, 'key') as NonNullable<GatewayOptions['rateLimit']>['key'],
    store: treeText(tree, 'store') as NonNullable<GatewayOptions['rateLimit']>['store'],
    redisUrl: treeText(tree, 'redisUrl'),
    redisKeyPrefix: treeText(tree, 'redisKeyPrefix'),
    trustedProxies: treeList(tree, 'trustedProxies'),
  });
}
