import type { Cluster, Redis } from 'ioredis';
import type { KeyValueStore } from './key-value-store.js';

/** Provider names (case-insensitive when read from config: `Redis`, `ToskaStore`, `Memory`). */
export type KeyValueProviderName = 'memory' | 'redis' | 'toskastore';

/** In-process store with TTL, for tests and the local mesh. */
export interface MemoryKeyValueOptions {
  /** How often expired keys are swept out (reads also drop them lazily). @default 1000 */
  sweepIntervalMs?: number;
}

/** A `host:port` pair of a Redis Cluster node or a Sentinel. */
export interface RedisNodeAddress {
  /** Host name or IP. */
  host: string;
  /** TCP port. */
  port: number;
}

/** Redis Cluster seed nodes; ioredis discovers the rest of the cluster from them. */
export interface RedisClusterOptions {
  /** Seed nodes, as `host:port` strings or objects. At least one. */
  nodes: ReadonlyArray<string | RedisNodeAddress>;
  /** ACL user of the data nodes. @default none */
  username?: string;
  /** Password of the data nodes. @default none */
  password?: string;
}

/** Redis behind Sentinel: ioredis asks the sentinels for the current primary of `name`. */
export interface RedisSentinelOptions {
  /** Sentinel addresses, as `host:port` strings (port default 26379) or objects. At least one. */
  sentinels: ReadonlyArray<string | RedisNodeAddress>;
  /** Name of the monitored primary (StackExchange `serviceName`). */
  name: string;
  /** ACL user of the data nodes. @default none */
  username?: string;
  /** Password of the data nodes. @default none */
  password?: string;
  /** Password of the sentinels themselves. @default none */
  sentinelPassword?: string;
}

/** Redis through ioredis: standalone, Sentinel or Cluster. */
export interface RedisKeyValueOptions {
  /**
   * `redis://[user:pass@]host:6379[/db]`, `rediss://...` (TLS), `redis-cluster://[user:pass@]h1:7000,h2:7001`
   * or `redis-sentinel://[user:pass@]s1:26379,s2:26379/<primary name>[/db]`
   * (`Mesh__KeyValue__Redis__ConnectionString`, which may also use the StackExchange form `host:6379,password=...`).
   * Ignored when `cluster`, `sentinel` or `client` is given.
   * @default 'redis://127.0.0.1:6379'
   */
  url?: string;
  /** Database index (`Mesh__KeyValue__Redis__Database`); overrides the URL's. Cluster supports only 0. @default from the URL, else 0 */
  database?: number;
  /** Per-command time limit; a command still waiting after it fails with `KeyValueUnavailableError`. @default 2000 */
  commandTimeoutMs?: number;
  /**
   * Send commands issued in the same tick in one socket write (ioredis auto-pipelining): about 1-2x the
   * throughput with many calls in flight, at the price of a tick of latency for one call at a time
   * (bench/README.md). Always on for Cluster. @default false
   */
  autoPipelining?: boolean;
  /** Connect to a Redis Cluster through these seed nodes instead of `url`. @default none (standalone) */
  cluster?: RedisClusterOptions;
  /** Connect through Redis Sentinel instead of `url`. @default none (standalone) */
  sentinel?: RedisSentinelOptions;
  /** A ready ioredis client (any options, TLS, ...). The store uses it but never closes it. @default none (the store opens its own) */
  client?: Redis | Cluster;
  /** `SCAN ... COUNT` hint: keys Redis examines per SCAN call. @default 500 */
  scanCount?: number;
  /** Keys per `MGET` in `getMany`/`entries`; larger lists are split and pipelined. @default 500 */
  batchSize?: number;
}

/** A ToskaStore server (apps/toska-store or the original Elixir server) over HTTP. */
export interface ToskaStoreKeyValueOptions {
  /** Server URL (`Mesh__KeyValue__ToskaStore__BaseUrl`). @default 'http://127.0.0.1:4000' */
  baseUrl?: string;
  /** Bearer token (`Mesh__KeyValue__ToskaStore__AuthToken`). @default none */
  authToken?: string;
  /** Keep a key list under `keyIndexKey` for servers without `/kv/keys`. @default false */
  enableKeyIndex?: boolean;
  /** Key of that list. @default '__keys' */
  keyIndexKey?: string;
  /** Per-request time limit. @default 5000 */
  timeoutMs?: number;
}

/** Options of `KeyValueModule.forRoot`. */
export interface KeyValueModuleOptions {
  /** Which backend (any letter case), or a ready {@link KeyValueStore} (used as is, not closed by the module). @default 'memory' */
  provider?: KeyValueProviderName | KeyValueStore;
  /**
   * Prepended to every key as `<keyPrefix>:<key>` (one trailing `:` is accepted, as the .NET original wrote
   * it). `keyValueOptionsFromEnv` fills it from `Mesh__Service__ServiceName`; empty means no prefix.
   * @default '' (no prefix)
   */
  keyPrefix?: string;
  /** Health check: a ping still running after this counts as down. @default 2000 */
  healthTimeoutMs?: number;
  /** Options of the memory provider. @default {} */
  memory?: MemoryKeyValueOptions;
  /** Options of the Redis provider. @default {} */
  redis?: RedisKeyValueOptions;
  /** Options of the ToskaStore provider. @default {} */
  toskaStore?: ToskaStoreKeyValueOptions;
}
