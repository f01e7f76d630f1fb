import type { ServiceRegistry } from './service-registry.js';

/** Names accepted by {@link RegistryModuleOptions.provider} (case-insensitive when read from config). */
export type RegistryProviderName = 'memory' | 'redis' | 'consul' | 'discovery';

/** In-process registry: TTL expiry by a sweep timer. */
export interface MemoryRegistryOptions {
  /** How often expired instances are swept out. @default 1000 */
  sweepIntervalMs?: number;
}

/** Registry in Redis, shared by many processes. */
export interface RedisRegistryOptions {
  /** Redis URL (`redis://127.0.0.1:6379/0`, `rediss://...`). @default 'redis://127.0.0.1:6379' */
  url?: string;
  /** Prefix of every key and channel, so several meshes can share one Redis. @default 'toskamesh:registry' */
  keyPrefix?: string;
  /** Per-command time limit. @default 2000 */
  commandTimeoutMs?: number;
  /** How often expired instances are swept out (and announced) by some process. @default 1000 */
  sweepIntervalMs?: number;
}

/** Registry in a Consul agent. */
export interface ConsulRegistryOptions {
  /** Agent URL. @default 'http://127.0.0.1:8500' */
  url?: string;
  datacenter?: string;
  /** ACL token, sent as `X-Consul-Token`. */
  token?: string;
  /** Per-request time limit (blocking queries add their wait to it). @default 5000 */
  timeoutMs?: number;
  /** Consul removes a service whose check stayed critical this long. @default 60000 */
  deregisterCriticalAfterMs?: number;
  /** Longest wait of one blocking query (`?wait=`). @default 30000 */
  blockingWaitMs?: number;
}

/** Client of the ToskaMesh discovery service (apps/discovery). */
export interface DiscoveryRegistryOptions {
  /** Base URL: `http://127.0.0.1:5010` for REST, the gRPC address (`127.0.0.1:5011` or `http://...`) for gRPC. */
  url: string;
  /** @default 'http' */
  transport?: 'http' | 'grpc';
  /** Supplies the mesh service token sent as `Authorization: Bearer` (the runtime wires its token provider). */
  authToken?: () => string | Promise<string>;
  /** Per-request time limit. @default 5000 */
  timeoutMs?: number;
}

/** Options of `RegistryModule.forRoot`. */
export interface RegistryModuleOptions {
  /** Which backend, or a ready {@link ServiceRegistry} instance. @default 'memory' */
  provider?: RegistryProviderName | ServiceRegistry;
  memory?: MemoryRegistryOptions;
  redis?: RedisRegistryOptions;
  consul?: ConsulRegistryOptions;
  discovery?: DiscoveryRegistryOptions;
}
