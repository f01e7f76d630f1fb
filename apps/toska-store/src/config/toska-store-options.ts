import type { SyncMode } from '../store/kv-engine.js';

/**
 * Configuration of the server, with the original's keys (config file `toska_config.json`, `TOSKA_*` env).
 * Every field has the original's default. `resolveToskaStoreOptions` builds it from flags, environment and
 * the config file; `normalizeToskaStoreOptions` fills defaults into a partial one and validates it.
 */
export interface ToskaStoreOptions {
  /** @default '127.0.0.1' (the original bound `localhost`) */
  host: string;
  /** 0 picks a free port. @default 4000 */
  port: number;
  /** `data_dir` / `TOSKA_DATA_DIR`. @default '~/.toska/data' (`TOSKA_CONFIG_DIR` moves `~/.toska`) */
  dataDir: string;
  /** @default 'toska.aof' */
  aofFile: string;
  /** @default 'toska_snapshot.json' */
  snapshotFile: string;
  /** @default 'interval' */
  syncMode: SyncMode;
  /** @default 1000 */
  syncIntervalMs: number;
  /** @default 60000 */
  snapshotIntervalMs: number;
  /** @default 1000 */
  ttlCheckIntervalMs: number;
  /** @default 300000 */
  compactionIntervalMs: number;
  /** @default 10485760 */
  compactionAofBytes: number;
  /** `auth_token` / `TOSKA_AUTH_TOKEN`; empty = auth off for /kv and /stats. @default '' */
  authToken: string;
  /** `replication_auth_token` / `TOSKA_REPLICATION_AUTH_TOKEN`; empty = falls back to `authToken`. @default '' */
  replicationAuthToken: string;
  /** `rate_limit_per_sec` / `TOSKA_RATE_LIMIT_PER_SEC`; limiting is on only when this and burst are > 0. @default 0 */
  rateLimitPerSec: number;
  /** `rate_limit_burst` / `TOSKA_RATE_LIMIT_BURST`. @default 0 */
  rateLimitBurst: number;
  /** `replica_url` / `TOSKA_REPLICA_URL`; non-empty = follower (read-only) of that leader. @default '' */
  replicaUrl: string;
  /** `replica_poll_interval_ms` / `TOSKA_REPLICA_POLL_MS`. @default 1000 */
  replicaPollMs: number;
  /** `replica_http_timeout_ms` / `TOSKA_REPLICA_HTTP_TIMEOUT_MS`. @default 5000 */
  replicaHttpTimeoutMs: number;
  /** Longest request body accepted (Plug's default). @default 8000000 */
  maxBodyBytes: number;
  /** Longest key, in bytes after percent-decoding (the original had only Bandit's request-line limit). @default 8192 */
  maxKeyBytes: number;
  /** Start even when a record in the middle of the AOF is corrupt, dropping it (see docs/toskastore.md). @default false */
  repair: boolean;
  /** `env` reported by `/status`. @default 'dev' */
  env: string;
  /** Reported by `/status` (`config.daemon`); set by the CLI when started with `--daemon`. @default false */
  daemon: boolean;
  /**
   * How long a graceful shutdown waits for in-flight requests before closing their connections.
   * @default 10000
   */
  drainTimeoutMs: number;
}
