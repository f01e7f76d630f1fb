import { randomUUID } from 'node:crypto';
import {
  isValidAddress,
  MeshConfigError,
  meshOptionsFromEnv,
  metadataProblems,
  type MeshEnvOptions,
} from '@toskamesh/common';
import type { RegistryModuleOptions } from '@toskamesh/registry';
import type { MeshRuntimeModuleOptions } from './mesh-runtime-options.js';
import type { ResolvedMeshRuntimeOptions } from './resolved-runtime-options.js';

const DEFAULT_ISSUER = 'ToskaMesh.Services';

/**
 * Fills defaults (the .NET original's `Mesh:Service` defaults), applies `Mesh__*` environment variables
 * over the options given in code, and validates. Throws {@link MeshConfigError}.
 *
 * Precedence is environment > code > default: code states what a service is, the environment states where
 * it runs (a container sets `Mesh__Service__Port` without rebuilding). Nothing set in code is dropped —
 * unlike the original's host, which lost `Routing`, `AdvertisedAddress` and `HeartbeatEnabled`.
 */
export function resolveRuntimeOptions(options: MeshRuntimeModuleOptions = {}): ResolvedMeshRuntimeOptions {
  const env = meshOptionsFromEnv(options.env ?? process.env);
  const resolved: ResolvedMeshRuntimeOptions = {
    service: resolveService(options, env),
    registry: resolveRegistry(options.registry, env),
    registration: resolveRegistration(options, env),
    health: {
      indicators: options.health?.indicators ?? [],
      registryTimeoutMs: options.health?.registryTimeoutMs ?? 2000,
    },
    metrics: { enabled: options.metrics?.enabled ?? true, path: options.metrics?.path ?? '/metrics' },
    tracing: {
      enabled:
        env.telemetry.tracingEnabled ??
        options.tracing?.enabled ??
        Boolean(env.telemetry.otlpEndpoint ?? options.tracing?.otlpEndpoint),
      otlpEndpoint: env.telemetry.otlpEndpoint ?? options.tracing?.otlpEndpoint,
      sampleRatio: options.tracing?.sampleRatio,
    },
    logging: {
      level: env.telemetry.logLevel ?? options.logging?.level ?? 'info',
      pretty: options.logging?.pretty ?? false,
    },
    auth: {
      enabled: env.service.enableAuth ?? options.auth?.enabled ?? true,
      secret: env.serviceAuth.secret ?? options.auth?.secret,
      issuer: env.serviceAuth.issuer ?? options.auth?.issuer ?? DEFAULT_ISSUER,
      audience: env.serviceAuth.audience ?? options.auth?.audience ?? DEFAULT_ISSUER,
      roles: env.serviceAuth.roles ?? options.auth?.roles ?? [],
      allowEphemeralSecret: options.auth?.allowEphemeralSecret ?? false,
    },
    client: { timeoutMs: options.client?.timeoutMs ?? 10_000, retries: options.client?.retries ?? 2 },
    env,
  };
  validate(resolved);
  return resolved;
}

function resolveService(
  options: MeshRuntimeModuleOptions,
  env: MeshEnvOptions,
): ResolvedMeshRuntimeOptions['service'] {
  const code = options.service ?? {};
  const name = env.service.name ?? code.name ?? 'mesh-service';
  const routing = {
    strategy: env.service.routing?.strategy ?? code.routing?.strategy ?? 'RoundRobin',
    weight: env.service.routing?.weight ?? code.routing?.weight ?? 1,
    healthCheckEndpoint:
      env.service.routing?.healthCheckEndpoint ?? code.routing?.healthCheckEndpoint ?? '/health/ready',
  };
  const scheme = (env.service.routing?.scheme ?? code.scheme ?? 'http').toLowerCase();
  return {
    name,
    // The id is derived from the final name (the original derived it from the configured name only).
    id: env.service.id ?? code.id ?? `${name}-${randomUUID().replaceAll('-', '')}`,
    address: env.service.address ?? code.address ?? '0.0.0.0',
    advertisedAddress: env.service.advertisedAddress ?? code.advertisedAddress,
    port: env.service.port ?? code.port ?? 8080,
    scheme: scheme as 'http' | 'https',
    metadata: mergeMetadata(code.metadata, env.service.metadata, {
      scheme,
      health_check_endpoint: routing.healthCheckEndpoint,
      lb_strategy: routing.strategy,
      ...(routing.weight > 0 ? { weight: String(routing.weight) } : {}),
    }),
    tags: env.service.tags ?? code.tags ?? [],
    routing,
  };
}

/** Later layers win; keys compare case-insensitively like the original's metadata dictionary (env keys arrive lower-cased). */
function mergeMetadata(...layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) merged.set(key.toLowerCase(), [key, value]);
  }
  return Object.fromEntries(merged.values());
}

function resolveRegistry(
  code: RegistryModuleOptions | undefined,
  env: MeshEnvOptions,
): RegistryModuleOptions {
  const { provider, redis, consul, discovery } = env.registry;
  const discoveryFromEnv = discovery?.url
    ? {
        ...code?.discovery,
        url: discovery.url,
        ...(discovery.transport ? { transport: discovery.transport } : {}),
      }
    : code?.discovery;
  return {
    ...code,
    provider: provider ?? code?.provider ?? 'memory',
    ...(redis || code?.redis ? { redis: { ...code?.redis, ...redis } } : {}),
    ...(consul || code?.consul ? { consul: { ...code?.consul, ...consul } } : {}),
    ...(discoveryFromEnv ? { discovery: discoveryFromEnv } : {}),
  };
}

function resolveRegistration(
  options: MeshRuntimeModuleOptions,
  env: MeshEnvOptions,
): ResolvedMeshRuntimeOptions['registration'] {
  const code = options.registration ?? {};
  return {
    enabled: env.service.registerAutomatically ?? code.enabled ?? true,
    heartbeat: env.service.heartbeatEnabled ?? code.heartbeat ?? true,
    healthIntervalMs: env.service.healthIntervalMs ?? code.healthIntervalMs ?? 30_000,
    healthTimeoutMs: env.service.healthTimeoutMs ?? code.healthTimeoutMs ?? 5000,
    unhealthyThreshold: env.service.unhealthyThreshold ?? code.unhealthyThreshold ?? 3,
    activeHealthCheck: code.activeHealthCheck ?? true,
    retry: { initialMs: code.retry?.initialMs ?? 500, maxMs: code.retry?.maxMs ?? 15_000 },
    callTimeoutMs: code.callTimeoutMs ?? 5000,
    drainDelayMs: code.drainDelayMs ?? 0,
  };
}

function validate(options: ResolvedMeshRuntimeOptions): void {
  validateService(options.service);
  validateRegistration(options.service, options.registration);
}

function validateService(service: ResolvedMeshRuntimeOptions['service']): void {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(service.name)) {
    throw new MeshConfigError('service.name', 'must be 1-128 characters of [A-Za-z0-9._-]', {
      value: service.name,
    });
  }
  if (!Number.isInteger(service.port) || service.port < 0 || service.port > 65535) {
    throw new MeshConfigError('service.port', 'must be a port number', {
      value: service.port,
      allowed: '0 (ephemeral) to 65535',
    });
  }
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(service.id)) {
    throw new MeshConfigError('service.id', 'must be 1-200 characters of [A-Za-z0-9._:-]', {
      value: service.id,
    });
  }
  if (service.scheme !== 'http' && service.scheme !== 'https') {
    throw new MeshConfigError('service.scheme', 'is not a supported scheme', {
      value: service.scheme,
      allowed: 'http, https',
    });
  }
  const metadata = metadataProblems(service.metadata);
  if (metadata.length) throw new MeshConfigError('service.metadata', metadata.join('; '));
  if (service.advertisedAddress !== undefined && !isValidAddress(service.advertisedAddress)) {
    throw new MeshConfigError('service.advertisedAddress', 'must be a host name or IP address', {
      value: service.advertisedAddress,
    });
  }
}

function validateRegistration(
  service: ResolvedMeshRuntimeOptions['service'],
  registration: ResolvedMeshRuntimeOptions['registration'],
): void {
  if (!service.routing.healthCheckEndpoint.startsWith('/')) {
    throw new MeshConfigError('service.routing.healthCheckEndpoint', 'must be a path starting with "/"', {
      value: service.routing.healthCheckEndpoint,
    });
  }
  for (const key of ['healthIntervalMs', 'healthTimeoutMs', 'callTimeoutMs'] as const) {
    if (!(registration[key] > 0))
      throw new MeshConfigError(`registration.${key}`, 'must be positive', { value: registration[key] });
  }
  if (!Number.isInteger(registration.unhealthyThreshold) || registration.unhealthyThreshold < 1) {
    throw new MeshConfigError('registration.unhealthyThreshold', 'must be a positive integer', {
      value: registration.unhealthyThreshold,
    });
  }
}
