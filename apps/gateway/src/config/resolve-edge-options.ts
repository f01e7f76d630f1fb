import { isIP } from 'node:net';
import { MeshConfigError } from '@toskamesh/common';
import { secretProblem } from '@toskamesh/security';
import type { GatewayOptions } from './gateway-options.js';
import {
  boolOption,
  choiceOption,
  headerNameItem,
  intOption,
  listOption,
  msOption,
  optionKey,
  stringOption,
  TOKEN,
} from './option-checks.js';
import type { ResolvedGatewayOptions } from './resolved-gateway-options.js';

type Resolved = ResolvedGatewayOptions;

/** Defaults of the security, CORS and rate-limit sections. */
export const EDGE_DEFAULTS = {
  apiKeyHeader: 'x-api-key',
  publicPaths: ['/health', '/health/**', '/metrics'],
  jwtClockSkewMs: 30_000,
  corsMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  corsHeaders: ['authorization', 'content-type', 'x-api-key', 'x-correlation-id'],
  corsMaxAgeSeconds: 600,
  permitLimit: 100,
  windowMs: 60_000,
  redisUrl: 'redis://127.0.0.1:6379',
  redisKeyPrefix: 'toskamesh:gateway:ratelimit:',
  trustedProxies: ['127.0.0.1', '::1'],
} as const;

/** Shortest API key accepted: shorter keys are guessable. */
const MIN_API_KEY_LENGTH = 16;

/** The `security` section with defaults applied and checked. */
export function resolveSecurity(options: GatewayOptions['security'] = {}): Resolved['security'] {
  const jwt = options.jwt ?? {};
  const enabled = boolOption('security.jwt.enabled', jwt.enabled, false);
  const secret = jwt.secret === undefined ? undefined : stringOption('security.jwt.secret', jwt.secret, '');
  const publicKey =
    jwt.publicKey === undefined ? undefined : stringOption('security.jwt.publicKey', jwt.publicKey, '');
  if (enabled) checkJwtKey(secret || undefined, publicKey || undefined);
  const apiKeys = listOption('security.apiKeys', options.apiKeys, [], (path, value) => {
    const entry = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const key = stringOption(`${path}.key`, entry.key, '', { nonEmpty: true });
    if (key.length < MIN_API_KEY_LENGTH) {
      throw new MeshConfigError(optionKey(`${path}.key`), 'is too short', {
        allowed: `at least ${MIN_API_KEY_LENGTH} random characters`,
      });
    }
    return {
      key,
      name: stringOption(`${path}.name`, entry.name, '', { nonEmpty: true }),
      roles: listOption(`${path}.roles`, entry.roles, [], (rolePath, role) =>
        stringOption(rolePath, role, '', { nonEmpty: true }),
      ),
    };
  });
  if (new Set(apiKeys.map((entry) => entry.key)).size !== apiKeys.length) {
    throw new MeshConfigError(optionKey('security.apiKeys'), 'holds the same key twice', {
      allowed: 'one entry per key',
    });
  }
  return {
    jwt: {
      enabled,
      ...(secret ? { secret } : {}),
      ...(publicKey ? { publicKey } : {}),
      issuer: stringOption('security.jwt.issuer', jwt.issuer, ''),
      audience: stringOption('security.jwt.audience', jwt.audience, ''),
      clockSkewMs: msOption('security.jwt.clockSkewMs', jwt.clockSkewMs, EDGE_DEFAULTS.jwtClockSkewMs, 0),
    },
    apiKeys,
    apiKeyHeader: headerNameItem('security.apiKeyHeader', options.apiKeyHeader ?? EDGE_DEFAULTS.apiKeyHeader),
    publicPaths: listOption(
      'security.publicPaths',
      options.publicPaths,
      EDGE_DEFAULTS.publicPaths,
      (path, value) =>
        stringOption(path, value, '', {
          pattern: /^\/\S*$/,
          allowed: 'a pattern starting with "/", e.g. "/api/public/**"',
        }),
    ),
  };
}

function checkJwtKey(secret: string | undefined, publicKey: string | undefined): void {
  if (secret === undefined && publicKey === undefined) {
    throw new MeshConfigError(
      optionKey('security.jwt.secret'),
      'is required when JWT validation is enabled',
      {
        allowed:
          'an HS256 secret of at least 32 characters (or Jwt__SecretKey), or security.jwt.publicKey (PEM)',
      },
    );
  }
  const problem = secret === undefined ? undefined : secretProblem(secret);
  if (problem !== undefined) {
    // The secret itself is never shown.
    throw new MeshConfigError(optionKey('security.jwt.secret'), problem, {
      allowed: 'at least 32 random characters, e.g. `openssl rand -base64 48`',
    });
  }
  if (publicKey !== undefined && !publicKey.includes('-----BEGIN')) {
    throw new MeshConfigError(optionKey('security.jwt.publicKey'), 'must be a PEM public key', {
      allowed: 'a "-----BEGIN PUBLIC KEY-----" block',
    });
  }
}

/** The `cors` section with defaults applied and checked. */
export function resolveCors(options: GatewayOptions['cors'] = {}): Resolved['cors'] {
  const allowedOrigins = listOption('cors.allowedOrigins', options.allowedOrigins, [], originItem);
  const anyOrigin = allowedOrigins.includes('*');
  const allowCredentials = boolOption(
    'cors.allowCredentials',
    options.allowCredentials,
    allowedOrigins.length > 0 && !anyOrigin,
  );
  if (anyOrigin && allowCredentials) {
    throw new MeshConfigError(optionKey('cors.allowCredentials'), 'cannot be true with the origin "*"', {
      value: true,
      allowed: 'false, or list the origins (browsers refuse credentials for "*")',
    });
  }
  return {
    enabled: boolOption('cors.enabled', options.enabled, false),
    allowedOrigins,
    allowedMethods: listOption(
      'cors.allowedMethods',
      options.allowedMethods,
      EDGE_DEFAULTS.corsMethods,
      (p, v) => stringOption(p, v, '', { pattern: TOKEN, allowed: 'an HTTP method or "*"' }).toUpperCase(),
    ),
    allowedHeaders: listOption(
      'cors.allowedHeaders',
      options.allowedHeaders,
      EDGE_DEFAULTS.corsHeaders,
      (p, v) => (v === '*' ? '*' : headerNameItem(p, v)),
    ),
    exposedHeaders: listOption('cors.exposedHeaders', options.exposedHeaders, [], headerNameItem),
    allowCredentials,
    maxAgeSeconds: intOption(
      'cors.maxAgeSeconds',
      options.maxAgeSeconds,
      EDGE_DEFAULTS.corsMaxAgeSeconds,
      0,
      86_400,
    ),
  };
}

function originItem(path: string, value: unknown): string {
  const text = stringOption(path, value, '', { nonEmpty: true });
  if (text === '*') return text;
  let origin: string | undefined;
  try {
    origin = new URL(text).origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin === 'null' || origin !== text.replace(/\/$/, '')) {
    throw new MeshConfigError(optionKey(path), 'must be an origin', {
      value,
      allowed: '"*" or scheme://host[:port] without a path, e.g. "https://app.example.com"',
    });
  }
  return origin;
}

/** The `rateLimit` section with defaults applied and checked. */
export function resolveRateLimit(options: GatewayOptions['rateLimit'] = {}): Resolved['rateLimit'] {
  const redisUrl = stringOption('rateLimit.redisUrl', options.redisUrl, EDGE_DEFAULTS.redisUrl, {
    pattern: /^rediss?:\/\/\S+$/,
    allowed: 'redis://host:port[/db] or rediss://...',
  });
  return {
    enabled: boolOption('rateLimit.enabled', options.enabled, false),
    permitLimit: intOption('rateLimit.permitLimit', options.permitLimit, EDGE_DEFAULTS.permitLimit, 1, 1e9),
    windowMs: msOption('rateLimit.windowMs', options.windowMs, EDGE_DEFAULTS.windowMs, 100),
    key: choiceOption('rateLimit.key', options.key, 'auto', ['auto', 'ip', 'apiKey', 'user'] as const),
    store: choiceOption('rateLimit.store', options.store, 'memory', ['memory', 'redis'] as const),
    redisUrl,
    redisKeyPrefix: stringOption(
      'rateLimit.redisKeyPrefix',
      options.redisKeyPrefix,
      EDGE_DEFAULTS.redisKeyPrefix,
      {
        nonEmpty: true,
      },
    ),
    trustedProxies: listOption(
      'rateLimit.trustedProxies',
      options.trustedProxies,
      EDGE_DEFAULTS.trustedProxies,
      proxyItem,
    ),
  };
}

function proxyItem(path: string, value: unknown): string {
  const text = stringOption(path, value, '', { nonEmpty: true });
  const [address = '', bits, ...rest] = text.split('/');
  const family = isIP(address);
  const prefixOk =
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
  if (family === 0 || !prefixOk || rest.length > 0) {
    throw new MeshConfigError(optionKey(path), 'must be an IP address or CIDR range', {
      value,
      allowed: 'e.g. "10.0.0.1", "10.0.0.0/8", "::1"',
    });
  }
  return text;
}
