import { MeshConfigError } from '@toskamesh/common';
import { isServiceRegistry } from '@toskamesh/registry';
import { MIN_SECRET_LENGTH, secretProblem } from '@toskamesh/security';
import type { DiscoveryAppOptions, ResolvedDiscoveryOptions } from './discovery-options.js';

/** Defaults of {@link DiscoveryAppOptions}, in one place so README and code agree. */
export const DISCOVERY_DEFAULTS = {
  port: 5010,
  grpcPort: 5011,
  host: '0.0.0.0',
  issuer: 'ToskaMesh.Services',
  audience: 'ToskaMesh.Services',
  probing: { enabled: true, defaultTimeoutMs: 5000, maxConcurrent: 32, maxInstances: 10_000 },
  watch: { retainEvents: 10_000, heartbeatMs: 15_000, maxClients: 10_000, maxBufferedBytes: 1_048_576 },
  tracking: { retainDeregisteredMs: 24 * 3_600_000, maxEntries: 10_000 },
} as const;

const STORES = ['memory', 'redis', 'consul'] as const;

/**
 * Applies defaults and checks every option, throwing {@link MeshConfigError} naming the first bad key,
 * so the service never starts half configured.
 */
export function resolveDiscoveryOptions(options: DiscoveryAppOptions = {}): ResolvedDiscoveryOptions {
  const grpcPort =
    options.grpcPort === false
      ? false
      : checkPort('grpcPort', options.grpcPort ?? DISCOVERY_DEFAULTS.grpcPort);
  return {
    port: checkPort('port', options.port ?? DISCOVERY_DEFAULTS.port),
    host: checkHost(options.host ?? DISCOVERY_DEFAULTS.host),
    grpcPort,
    store: checkStore(options.store ?? { provider: 'memory' }),
    auth: resolveAuth(options),
    ...resolveLimits(options),
  };
}

function resolveLimits(
  options: DiscoveryAppOptions,
): Pick<ResolvedDiscoveryOptions, 'probing' | 'watch' | 'tracking'> {
  const { probing = {}, watch = {}, tracking = {} } = options;
  return {
    probing: {
      enabled: probing.enabled ?? DISCOVERY_DEFAULTS.probing.enabled,
      defaultTimeoutMs: positive('probing.defaultTimeoutMs', probing.defaultTimeoutMs, 'probing'),
      maxConcurrent: positive('probing.maxConcurrent', probing.maxConcurrent, 'probing'),
      maxInstances: positive('probing.maxInstances', probing.maxInstances, 'probing'),
    },
    watch: {
      retainEvents: positive('watch.retainEvents', watch.retainEvents, 'watch'),
      heartbeatMs: positive('watch.heartbeatMs', watch.heartbeatMs, 'watch'),
      maxClients: positive('watch.maxClients', watch.maxClients, 'watch'),
      maxBufferedBytes: positive('watch.maxBufferedBytes', watch.maxBufferedBytes, 'watch'),
    },
    tracking: {
      retainDeregisteredMs: positive(
        'tracking.retainDeregisteredMs',
        tracking.retainDeregisteredMs,
        'tracking',
      ),
      maxEntries: positive('tracking.maxEntries', tracking.maxEntries, 'tracking'),
    },
  };
}

function checkHost(host: unknown): string {
  if (typeof host !== 'string' || host.trim() === '') {
    throw new MeshConfigError('host', 'must be a listen address', {
      value: host,
      allowed: '0.0.0.0, 127.0.0.1, ::',
    });
  }
  return host;
}

function resolveAuth(options: DiscoveryAppOptions): ResolvedDiscoveryOptions['auth'] {
  const auth = options.auth ?? {};
  const production = (options.nodeEnv ?? process.env.NODE_ENV) === 'production';
  const problem = auth.secret === undefined ? undefined : secretProblem(auth.secret);
  if (problem) {
    throw new MeshConfigError('MESH_SERVICE_AUTH_SECRET', problem, {
      allowed: `at least ${MIN_SECRET_LENGTH} random characters (e.g. \`openssl rand -base64 48\`)`,
    });
  }
  if (production && auth.disabled) {
    throw new MeshConfigError('auth.disabled', 'cannot be true when NODE_ENV=production', { value: true });
  }
  const keys = [auth.secret, auth.publicKey, auth.jwksUrl, auth.verifier].filter((key) => key !== undefined);
  if (production && keys.length === 0) {
    throw new MeshConfigError(
      'MESH_SERVICE_AUTH_SECRET',
      'is required when NODE_ENV=production (the discovery API refuses to run unauthenticated)',
      {
        allowed: `a secret of at least ${MIN_SECRET_LENGTH} characters in MESH_SERVICE_AUTH_SECRET or MESH_SERVICE_AUTH_SECRET_FILE`,
      },
    );
  }
  return {
    enabled: !auth.disabled && keys.length > 0,
    ...(auth.secret !== undefined ? { secret: auth.secret } : {}),
    ...(auth.publicKey !== undefined ? { publicKey: auth.publicKey } : {}),
    ...(auth.jwksUrl !== undefined ? { jwksUrl: auth.jwksUrl } : {}),
    ...(auth.verifier ? { verifier: auth.verifier } : {}),
    issuer: auth.issuer ?? DISCOVERY_DEFAULTS.issuer,
    audience: auth.audience ?? DISCOVERY_DEFAULTS.audience,
    allowAnonymousReads: auth.allowAnonymousReads ?? false,
  };
}

function checkStore(store: ResolvedDiscoveryOptions['store']): ResolvedDiscoveryOptions['store'] {
  const provider = store.provider ?? 'memory';
  if (isServiceRegistry(provider)) return store;
  const name = typeof provider === 'string' ? provider.trim().toLowerCase() : provider;
  if (!(STORES as readonly unknown[]).includes(name)) {
    throw new MeshConfigError('store.provider', 'is not a store the discovery service can use', {
      value: provider,
      allowed: STORES.join(', '),
    });
  }
  return { ...store, provider: name as (typeof STORES)[number] };
}

function checkPort(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new MeshConfigError(key, 'must be a port number', {
      value,
      allowed: 'integers 0..65535 (0 = ephemeral)',
    });
  }
  return value;
}

type Section = 'probing' | 'watch' | 'tracking';

function positive(key: string, value: number | undefined, section: Section): number {
  const name = key.split('.')[1] as keyof (typeof DISCOVERY_DEFAULTS)[Section];
  const resolved = value ?? (DISCOVERY_DEFAULTS[section][name] as number);
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < 1) {
    throw new MeshConfigError(key, 'must be a positive whole number', { value, allowed: 'integers >= 1' });
  }
  return resolved;
}
