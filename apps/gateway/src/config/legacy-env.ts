import {
  configBool,
  configInt,
  readEnvTree,
  treeSection,
  treeValue,
  type ConfigTree,
} from '@toskamesh/common';
import type { GatewayOptions } from './gateway-options.js';
import { configNumber, pruned, treeList, treeText } from './env-values.js';

type Env = Record<string, string | undefined>;

/**
 * The .NET original's gateway keys, mapped onto {@link GatewayOptions}:
 * `PORT`; `Mesh__Gateway__Routing__RoutePrefix`; `Mesh__Gateway__Resilience__RetryCount`,
 * `__CircuitBreakerFailureThreshold`, `__CircuitBreakerMinimumThroughput`,
 * `__CircuitBreakerSamplingDurationSeconds`, `__CircuitBreakerBreakDurationSeconds`;
 * `RateLimit__EnableRateLimiting`, `__PermitLimit`, `__WindowSeconds`; `Cors__AllowAnyOrigin`,
 * `__AllowedOrigins`, `__AllowedHeaders`, `__AllowedMethods`; `Jwt__SecretKey`, `__Issuer`, `__Audience`.
 *
 * Differences kept on purpose: the original always answered CORS (any origin when none were listed), so
 * any `Cors__*` key turns CORS on with that rule; `Jwt__*` only configures validation, because the
 * original never required a token on proxied routes (`Mesh__Gateway__Security__Jwt__Enabled=true` does).
 * Retry delays (`RetryBaseDelayMilliseconds`, ...) have no equivalent: retries go to another instance at once.
 */
export function legacyGatewayOptions(env: Env, gateway: ConfigTree): GatewayOptions {
  return (
    pruned<GatewayOptions>({
      port: configInt('PORT', env.PORT, { min: 0, max: 65535 }),
      routePrefix: treeValue(treeSection(gateway, 'routing'), 'routePrefix'),
      upstream: resilience(treeSection(gateway, 'resilience')),
      rateLimit: rateLimit(readEnvTree(env, 'RateLimit')),
      cors: cors(readEnvTree(env, 'Cors')),
      security: jwt(readEnvTree(env, 'Jwt')),
    }) ?? {}
  );
}

const R = (name: string) => `Mesh__Gateway__Resilience__${name}`;

function resilience(tree: ConfigTree): GatewayOptions['upstream'] {
  const seconds = (name: string) => {
    const value = configNumber(R(name), treeValue(tree, name));
    return value === undefined ? undefined : Math.round(value * 1000);
  };
  return pruned({
    retry: pruned({ maxRetries: configInt(R('RetryCount'), treeValue(tree, 'retryCount')) }),
    breaker: pruned({
      failureThreshold: configNumber(
        R('CircuitBreakerFailureThreshold'),
        treeValue(tree, 'circuitBreakerFailureThreshold'),
      ),
      minimumRequests: configInt(
        R('CircuitBreakerMinimumThroughput'),
        treeValue(tree, 'circuitBreakerMinimumThroughput'),
      ),
      windowMs: seconds('CircuitBreakerSamplingDurationSeconds'),
      openMs: seconds('CircuitBreakerBreakDurationSeconds'),
    }),
  });
}

function rateLimit(tree: ConfigTree): GatewayOptions['rateLimit'] {
  const windowSeconds = configNumber('RateLimit__WindowSeconds', treeValue(tree, 'windowSeconds'));
  return pruned({
    enabled: configBool('RateLimit__EnableRateLimiting', treeValue(tree, 'enableRateLimiting')),
    permitLimit: configInt('RateLimit__PermitLimit', treeValue(tree, 'permitLimit')),
    windowMs: windowSeconds === undefined ? undefined : Math.round(windowSeconds * 1000),
  });
}

function cors(tree: ConfigTree): GatewayOptions['cors'] {
  if (Object.keys(tree).length === 0) return undefined;
  const anyOrigin = configBool('Cors__AllowAnyOrigin', treeValue(tree, 'allowAnyOrigin')) ?? false;
  const origins = treeList(tree, 'allowedOrigins') ?? [];
  const headers = treeList(tree, 'allowedHeaders');
  const methods = treeList(tree, 'allowedMethods');
  return {
    enabled: true,
    allowedOrigins: anyOrigin || origins.length === 0 ? ['*'] : origins,
    ...(headers?.length ? { allowedHeaders: headers } : {}),
    ...(methods?.length ? { allowedMethods: methods } : {}),
  };
}

function jwt(tree: ConfigTree): GatewayOptions['security'] {
  const options = pruned({
    secret: treeText(tree, 'secretKey'),
    issuer: treeText(tree, 'issuer'),
    audience: treeText(tree, 'audience'),
  });
  return options ? { jwt: options } : undefined;
}
