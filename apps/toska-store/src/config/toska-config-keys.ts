import type { ToskaStoreOptions } from './toska-store-options.js';

/** How a configuration value is checked. */
export type ToskaConfigKind =
  | 'string'
  | 'non-empty'
  | 'port'
  | 'positive-int'
  | 'non-negative-int'
  | 'sync-mode'
  | 'env'
  | 'boolean'
  | 'url-or-empty';

/** One configuration key: its snake_case name in `toska_config.json`, option field and env variable. */
export interface ToskaConfigKey {
  /** Key in `toska_config.json` (the original's spelling). */
  file: string;
  /** Field of {@link ToskaStoreOptions}. */
  option: keyof ToskaStoreOptions;
  /** `TOSKA_*` variable that overrides the file, when the original had one (or this port adds one). */
  env?: string;
  kind: ToskaConfigKind;
}

/**
 * Every key the server reads, in the original's order (`config_manager.ex` `default_config/0`), plus the
 * port's own `max_body_bytes`, `max_key_bytes`, `repair` and `drain_timeout_ms`. Unknown keys in the file
 * are ignored, as upstream allowed them "for extensibility".
 */
export const TOSKA_CONFIG_KEYS: readonly ToskaConfigKey[] = [
  { file: 'port', option: 'port', kind: 'port' },
  { file: 'host', option: 'host', kind: 'non-empty' },
  { file: 'env', option: 'env', kind: 'env' },
  { file: 'data_dir', option: 'dataDir', env: 'TOSKA_DATA_DIR', kind: 'non-empty' },
  { file: 'aof_file', option: 'aofFile', kind: 'non-empty' },
  { file: 'snapshot_file', option: 'snapshotFile', kind: 'non-empty' },
  { file: 'sync_mode', option: 'syncMode', kind: 'sync-mode' },
  { file: 'sync_interval_ms', option: 'syncIntervalMs', kind: 'positive-int' },
  { file: 'snapshot_interval_ms', option: 'snapshotIntervalMs', kind: 'positive-int' },
  { file: 'ttl_check_interval_ms', option: 'ttlCheckIntervalMs', kind: 'positive-int' },
  { file: 'compaction_interval_ms', option: 'compactionIntervalMs', kind: 'positive-int' },
  { file: 'compaction_aof_bytes', option: 'compactionAofBytes', kind: 'positive-int' },
  { file: 'replica_url', option: 'replicaUrl', env: 'TOSKA_REPLICA_URL', kind: 'url-or-empty' },
  {
    file: 'replica_poll_interval_ms',
    option: 'replicaPollMs',
    env: 'TOSKA_REPLICA_POLL_MS',
    kind: 'positive-int',
  },
  {
    file: 'replica_http_timeout_ms',
    option: 'replicaHttpTimeoutMs',
    env: 'TOSKA_REPLICA_HTTP_TIMEOUT_MS',
    kind: 'positive-int',
  },
  { file: 'auth_token', option: 'authToken', env: 'TOSKA_AUTH_TOKEN', kind: 'string' },
  {
    file: 'replication_auth_token',
    option: 'replicationAuthToken',
    env: 'TOSKA_REPLICATION_AUTH_TOKEN',
    kind: 'string',
  },
  {
    file: 'rate_limit_per_sec',
    option: 'rateLimitPerSec',
    env: 'TOSKA_RATE_LIMIT_PER_SEC',
    kind: 'non-negative-int',
  },
  {
    file: 'rate_limit_burst',
    option: 'rateLimitBurst',
    env: 'TOSKA_RATE_LIMIT_BURST',
    kind: 'non-negative-int',
  },
  { file: 'max_body_bytes', option: 'maxBodyBytes', env: 'TOSKA_MAX_BODY_BYTES', kind: 'positive-int' },
  { file: 'max_key_bytes', option: 'maxKeyBytes', env: 'TOSKA_MAX_KEY_BYTES', kind: 'positive-int' },
  { file: 'repair', option: 'repair', env: 'TOSKA_REPAIR', kind: 'boolean' },
  { file: 'drain_timeout_ms', option: 'drainTimeoutMs', kind: 'positive-int' },
  { file: 'daemon', option: 'daemon', kind: 'boolean' },
];

/** Allowed values per kind, for error messages and the README. */
export const TOSKA_CONFIG_ALLOWED: Record<ToskaConfigKind, string> = {
  string: 'any string ("" turns the feature off)',
  'non-empty': 'a non-empty string',
  port: 'an integer 0..65535 (0 = any free port)',
  'positive-int': 'an integer > 0',
  'non-negative-int': 'an integer >= 0',
  'sync-mode': 'always, interval, none',
  env: 'dev, test, prod',
  boolean: 'true or false',
  'url-or-empty': 'an http(s) URL, or "" (not a follower)',
};
