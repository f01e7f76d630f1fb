import type { LoadBalancingStrategyName, MeshEnvOptions } from '@toskamesh/common';
import type { RegistryModuleOptions } from '@toskamesh/registry';
import type { MeshHealthIndicator } from '../health/mesh-health-indicator.js';

/** Runtime options after defaults, env and validation: what every runtime service reads. */
export interface ResolvedMeshRuntimeOptions {
  service: {
    name: string;
    id: string;
    address: string;
    advertisedAddress?: string;
    port: number;
    scheme: 'http' | 'https';
    metadata: Record<string, string>;
    tags: string[];
    routing: { strategy: LoadBalancingStrategyName; weight: number; healthCheckEndpoint: string };
  };
  registry: RegistryModuleOptions;
  registration: {
    enabled: boolean;
    heartbeat: boolean;
    healthIntervalMs: number;
    healthTimeoutMs: number;
    unhealthyThreshold: number;
    activeHealthCheck: boolean;
    retry: { initialMs: number; maxMs: number };
    callTimeoutMs: number;
    drainDelayMs: number;
  };
  health: { indicators: MeshHealthIndicator[]; registryTimeoutMs: number };
  metrics: { enabled: boolean; path: string };
  tracing: { enabled: boolean; otlpEndpoint?: string; sampleRatio?: number };
  logging: { level: string; pretty: boolean };
  auth: {
    enabled: boolean;
    secret?: string;
    issuer: string;
    audience: string;
    roles: string[];
    allowEphemeralSecret: boolean;
  };
  client: { timeoutMs: number; retries: number };
  /** What was read from the environment, for sections other modules map themselves. */
  env: MeshEnvOptions;
}
