import type { LoadBalancingStrategyName } from '../registry-types/load-balancing-strategy.js';
import type { ConfigTree } from './env-tree.js';

/** `Mesh:Service:*` as in the .NET original, durations in milliseconds. */
export interface MeshServiceEnvOptions {
  name?: string;
  id?: string;
  address?: string;
  advertisedAddress?: string;
  port?: number;
  healthEndpoint?: string;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  unhealthyThreshold?: number;
  heartbeatEnabled?: boolean;
  registerAutomatically?: boolean;
  enableTelemetry?: boolean;
  enableAuth?: boolean;
  allowNoopRegistry?: boolean;
  routing?: {
    scheme?: string;
    healthCheckEndpoint?: string;
    strategy?: LoadBalancingStrategyName;
    weight?: number;
  };
  metadata?: Record<string, string>;
  tags?: string[];
}

/** Which registry a service uses and how to reach it. */
export interface MeshRegistryEnvOptions {
  provider?: 'memory' | 'redis' | 'consul' | 'discovery';
  redis?: { url?: string; keyPrefix?: string };
  consul?: { url?: string; datacenter?: string; token?: string };
  discovery?: { url?: string; transport?: 'http' | 'grpc'; allowInsecureTransport?: boolean };
}

/** `Mesh:ServiceAuth:*` plus the `MESH_SERVICE_AUTH_*` variables. */
export interface MeshServiceAuthEnvOptions {
  secret?: string;
  issuer?: string;
  audience?: string;
  tokenLifetimeMs?: number;
  roles?: string[];
}

/** `Mesh:Telemetry:*` plus the standard `OTEL_*` variables. */
export interface MeshTelemetryEnvOptions {
  tracingEnabled?: boolean;
  otlpEndpoint?: string;
  logLevel?: string;
}

/** Everything {@link meshOptionsFromEnv} reads; unknown keys stay available in `raw`. */
export interface MeshEnvOptions {
  service: MeshServiceEnvOptions;
  registry: MeshRegistryEnvOptions;
  serviceAuth: MeshServiceAuthEnvOptions;
  telemetry: MeshTelemetryEnvOptions;
  /** The whole `Mesh__*` tree, keys lower-cased, for sections other packages read themselves. */
  raw: ConfigTree;
}
