import { readFileSync } from 'node:fs';
import { MeshConfigError } from '../errors/mesh-config.error.js';
import { LOAD_BALANCING_STRATEGIES } from '../registry-types/load-balancing-strategy.js';
import {
  configBool,
  configChoice,
  configDurationMs,
  configInt,
  configList,
  definedFields,
} from './config-values.js';
import { readEnvTree, treeSection, treeValue, type ConfigTree } from './env-tree.js';
import type {
  MeshEnvOptions,
  MeshRegistryEnvOptions,
  MeshServiceAuthEnvOptions,
  MeshServiceEnvOptions,
  MeshTelemetryEnvOptions,
} from './mesh-env-options.js';

type Env = Record<string, string | undefined>;

/**
 * Maps container-style variables to typed mesh options once, compatible with the .NET original:
 * `Mesh__Service__ServiceName`, `Mesh__Service__Port`, `Mesh__Service__HealthInterval=00:00:30`,
 * `Mesh__Service__Routing__Strategy`, `Mesh__ServiceDiscovery__Grpc__Address`, `Consul__Address`,
 * `Mesh__ServiceAuth__Secret` (or `MESH_SERVICE_AUTH_SECRET[_FILE]`), ... Keys are case-insensitive;
 * a malformed value throws {@link MeshConfigError} naming the variable. Only keys that are set appear.
 */
export function meshOptionsFromEnv(env: Env = process.env): MeshEnvOptions {
  const raw = readEnvTree(env, 'Mesh');
  return {
    service: serviceOptions(treeSection(raw, 'service')),
    registry: registryOptions(raw, readEnvTree(env, 'Consul')),
    serviceAuth: serviceAuthOptions(treeSection(raw, 'serviceauth'), env),
    telemetry: telemetryOptions(treeSection(raw, 'telemetry'), env),
    raw,
  };
}

function serviceOptions(section: ConfigTree): MeshServiceEnvOptions {
  const key = (name: string) => `Mesh__Service__${name}`;
  const routing = treeSection(section, 'routing');
  const metadataSection = treeSection(section, 'metadata');
  const metadata = Object.fromEntries(
    Object.entries(metadataSection).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return definedFields({
    name: treeValue(section, 'serviceName', 'name'),
    id: treeValue(section, 'serviceId', 'id'),
    address: treeValue(section, 'address'),
    advertisedAddress: treeValue(section, 'advertisedAddress'),
    port: configInt(key('Port'), treeValue(section, 'port'), { min: 0, max: 65535 }),
    healthEndpoint: treeValue(section, 'healthEndpoint'),
    healthIntervalMs: configDurationMs(key('HealthInterval'), treeValue(section, 'healthInterval')),
    healthTimeoutMs: configDurationMs(key('HealthTimeout'), treeValue(section, 'healthTimeout')),
    unhealthyThreshold: configInt(key('UnhealthyThreshold'), treeValue(section, 'unhealthyThreshold'), {
      min: 1,
    }),
    heartbeatEnabled: configBool(key('HeartbeatEnabled'), treeValue(section, 'heartbeatEnabled')),
    registerAutomatically: configBool(
      key('RegisterAutomatically'),
      treeValue(section, 'registerAutomatically'),
    ),
    enableTelemetry: configBool(key('EnableTelemetry'), treeValue(section, 'enableTelemetry')),
    enableAuth: configBool(key('EnableAuth'), treeValue(section, 'enableAuth')),
    allowNoopRegistry: configBool(
      key('AllowNoopServiceRegistry'),
      treeValue(section, 'allowNoopServiceRegistry'),
    ),
    routing: Object.keys(routing).length
      ? definedFields({
          scheme: treeValue(routing, 'scheme'),
          healthCheckEndpoint: treeValue(routing, 'healthCheckEndpoint'),
          strategy: configChoice(
            key('Routing__Strategy'),
            treeValue(routing, 'strategy'),
            LOAD_BALANCING_STRATEGIES,
          ),
          weight: configInt(key('Routing__Weight'), treeValue(routing, 'weight'), { min: 0 }),
        })
      : undefined,
    metadata: Object.keys(metadata).length ? metadata : undefined,
    tags: configList(treeValue(section, 'tags')),
  });
}

const REGISTRY_PROVIDERS = ['Memory', 'Redis', 'Consul', 'Discovery', 'Grpc', 'Http'] as const;

function registryOptions(mesh: ConfigTree, legacyConsul: ConfigTree): MeshRegistryEnvOptions {
  const registry = treeSection(mesh, 'registry');
  const grpc = treeSection(mesh, 'serviceDiscovery', 'grpc');
  const http = treeSection(mesh, 'serviceDiscovery', 'http');
  const consul = { ...legacyConsul, ...treeSection(registry, 'consul') };
  const redis = treeSection(registry, 'redis');
  const discovery = treeSection(registry, 'discovery');
  const named =
    configChoice('Mesh__Registry__Provider', treeValue(registry, 'provider'), REGISTRY_PROVIDERS) ??
    configChoice(
      'Mesh__Service__ServiceRegistryProvider',
      treeValue(treeSection(mesh, 'service'), 'serviceRegistryProvider'),
      REGISTRY_PROVIDERS,
    );
  const grpcAddress = treeValue(grpc, 'address');
  const httpAddress = treeValue(http, 'address') ?? treeValue(discovery, 'url', 'address');
  let transport: 'http' | 'grpc' | undefined = configChoice(
    'Mesh__Registry__Discovery__Transport',
    treeValue(discovery, 'transport'),
    ['http', 'grpc'] as const,
  );
  if (!transport && (named === 'Grpc' || (grpcAddress && !httpAddress))) transport = 'grpc';
  if (!transport && (named === 'Http' || httpAddress)) transport = 'http';
  const provider = named
    ? (
        {
          Memory: 'memory',
          Redis: 'redis',
          Consul: 'consul',
          Discovery: 'discovery',
          Grpc: 'discovery',
          Http: 'discovery',
        } as const
      )[named]
    : grpcAddress || httpAddress
      ? 'discovery'
      : treeValue(consul, 'address')
        ? 'consul'
        : undefined;
  const discoveryUrl = transport === 'grpc' ? (grpcAddress ?? httpAddress) : (httpAddress ?? grpcAddress);
  return definedFields({
    provider,
    redis: Object.keys(redis).length
      ? definedFields({
          url: treeValue(redis, 'url', 'connectionString'),
          keyPrefix: treeValue(redis, 'keyPrefix'),
        })
      : undefined,
    consul: Object.keys(consul).length
      ? definedFields({
          url: treeValue(consul, 'address', 'url'),
          datacenter: treeValue(consul, 'datacenter'),
          token: treeValue(consul, 'token'),
        })
      : undefined,
    discovery:
      discoveryUrl || transport
        ? definedFields({
            url: discoveryUrl,
            transport,
            allowInsecureTransport: configBool(
              'Mesh__ServiceDiscovery__Grpc__AllowInsecureTransport',
              treeValue(grpc, 'allowInsecureTransport'),
            ),
          })
        : undefined,
  });
}

function serviceAuthOptions(section: ConfigTree, env: Env): MeshServiceAuthEnvOptions {
  const secretFile = env.MESH_SERVICE_AUTH_SECRET_FILE ?? treeValue(section, 'secretFile');
  return definedFields({
    secret:
      env.MESH_SERVICE_AUTH_SECRET ??
      treeValue(section, 'secret') ??
      (secretFile ? readSecretFile(secretFile) : undefined),
    issuer: env.MESH_SERVICE_AUTH_ISSUER ?? treeValue(section, 'issuer'),
    audience: env.MESH_SERVICE_AUTH_AUDIENCE ?? treeValue(section, 'audience'),
    tokenLifetimeMs: ((minutes) => (minutes === undefined ? undefined : minutes * 60_000))(
      configInt('Mesh__ServiceAuth__TokenLifetimeMinutes', treeValue(section, 'tokenLifetimeMinutes'), {
        min: 1,
      }),
    ),
    roles: configList(treeValue(section, 'roles')),
  });
}

function telemetryOptions(section: ConfigTree, env: Env): MeshTelemetryEnvOptions {
  return definedFields({
    tracingEnabled: configBool('Mesh__Telemetry__TracingEnabled', treeValue(section, 'tracingEnabled')),
    otlpEndpoint: treeValue(section, 'otlpEndpoint') ?? env.OTEL_EXPORTER_OTLP_ENDPOINT,
    logLevel: treeValue(section, 'logLevel') ?? env.LOG_LEVEL,
  });
}

function readSecretFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new MeshConfigError('MESH_SERVICE_AUTH_SECRET_FILE', 'names a file that cannot be read', {
      value: path,
      cause: error,
    });
  }
}
