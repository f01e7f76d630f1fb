import type { BackoffOptions, LoadBalancingStrategyName } from '@toskamesh/common';
import type { RegistryModuleOptions } from '@toskamesh/registry';
import type { MeshHealthIndicator } from '../health/mesh-health-indicator.js';

/** Who this service is and how others reach it (`Mesh:Service:*` in the .NET original). */
export interface MeshServiceOptions {
  /** Logical service name, case-sensitive. @default 'mesh-service' (the original's default) */
  name?: string;
  /** Unique instance id. @default `<name>-<32 hex>` */
  id?: string;
  /** Bind address used by `MeshServiceHost`. @default '0.0.0.0' */
  address?: string;
  /** Address sent to the registry. @default the listen address, or the first non-internal IPv4 when bound to all interfaces */
  advertisedAddress?: string;
  /** Port used by `MeshServiceHost` (0 = ephemeral). Registration always uses the port actually listened on. @default 8080 */
  port?: number;
  /** @default 'http' */
  scheme?: 'http' | 'https';
  /** Merged under the routing keys (routing keys win, as in the original). @default {} */
  metadata?: Record<string, string>;
  /** @default [] */
  tags?: string[];
  routing?: {
    /** Written to metadata `lb_strategy`. @default 'RoundRobin' (the original's default) */
    strategy?: LoadBalancingStrategyName;
    /** Written to metadata `weight` when > 0. @default 1 */
    weight?: number;
    /** Path the registry probes; written to metadata `health_check_endpoint`. @default '/health/ready' */
    healthCheckEndpoint?: string;
  };
}

/** Registration, heartbeat and graceful-drain behaviour. */
export interface MeshRegistrationOptions {
  /** Register after the HTTP server listens (`RegisterAutomatically`). @default true */
  enabled?: boolean;
  /** Send heartbeats (`HeartbeatEnabled`). @default true */
  heartbeat?: boolean;
  /** Health interval: heartbeat cadence and the registry's probe interval; TTL = 3 x this. @default 30000 */
  healthIntervalMs?: number;
  /** Probe time limit for the registry's active check. @default 5000 */
  healthTimeoutMs?: number;
  /** Failed probes before the registry marks the instance Unhealthy. @default 3 */
  unhealthyThreshold?: number;
  /** Ask the registry to probe `routing.healthCheckEndpoint` actively. @default true */
  activeHealthCheck?: boolean;
  /** Back-off between registration attempts while the registry is unreachable. @default { initialMs: 500, maxMs: 15000 } */
  retry?: BackoffOptions;
  /** Time limit of each registry call made by the runtime. @default 5000 */
  callTimeoutMs?: number;
  /** After deregistering on shutdown, keep serving this long so callers' caches catch up. @default 0 */
  drainDelayMs?: number;
}

/** JWT service auth (a global guard; opt out per route with `@Public()`). */
export interface MeshAuthOptions {
  /** @default true */
  enabled?: boolean;
  /** HS256 secret, >= 32 chars. @default env MESH_SERVICE_AUTH_SECRET */
  secret?: string;
  /** @default 'ToskaMesh.Services' */
  issuer?: string;
  /** @default 'ToskaMesh.Services' */
  audience?: string;
  /** Roles put in this service's own token besides `Service`. @default [] */
  roles?: string[];
  /** Outside production, run with a random per-process secret when none is configured. @default false */
  allowEphemeralSecret?: boolean;
}

/** Options of `MeshRuntimeModule.forRoot`. Every field is optional; env (`Mesh__*`) fills what code leaves out. */
export interface MeshRuntimeModuleOptions {
  service?: MeshServiceOptions;
  /** Which registry. @default env `Mesh__Registry__*`, else in-memory (this process only) */
  registry?: RegistryModuleOptions;
  registration?: MeshRegistrationOptions;
  health?: {
    /** Extra checks shown on /health and, when tagged, /health/live or /health/ready. @default [] */
    indicators?: MeshHealthIndicator[];
    /** Time limit of the registry reachability check. @default 2000 */
    registryTimeoutMs?: number;
  };
  metrics?: { enabled?: boolean; path?: string };
  tracing?: { enabled?: boolean; otlpEndpoint?: string; sampleRatio?: number };
  logging?: { level?: string; pretty?: boolean };
  auth?: MeshAuthOptions;
  client?: {
    /** Per-request time limit of MeshClient calls. @default 10000 */
    timeoutMs?: number;
    /** Extra attempts on another instance after a connect error. @default 2 */
    retries?: number;
  };
  /** Read `Mesh__*` variables from this environment. @default process.env */
  env?: Record<string, string | undefined>;
}
