export { startToskaStore, type ToskaStoreInit, type ToskaStoreServer } from './start-toska-store.js';
export { runToskaStore, reportStartFailure } from './main.js';
export { ToskaStoreModule } from './toska-store.module.js';
export {
  TOSKA_STORE_ASYNC_OPTIONS_TYPE,
  TOSKA_STORE_MODULE_OPTIONS,
  TOSKA_STORE_OPTIONS_TYPE,
  type ToskaStoreModuleOptions,
} from './toska-store.module-definition.js';
export { FOLLOWER_STATUS_SOURCE, TOSKA_STORE_OPTIONS } from './toska-store.tokens.js';

export type { ToskaStoreOptions } from './config/toska-store-options.js';
export {
  TOSKA_STORE_DEFAULTS,
  normalizeToskaStoreOptions,
  resolveToskaStoreOptions,
  type ToskaStoreOptionSources,
} from './config/resolve-toska-store-options.js';
export {
  TOSKA_CONFIG_FILE,
  readToskaConfigFile,
  toskaConfigDir,
  toskaConfigFilePath,
} from './config/toska-config-file.js';
export {
  TOSKA_CONFIG_ALLOWED,
  TOSKA_CONFIG_KEYS,
  type ToskaConfigKey,
  type ToskaConfigKind,
} from './config/toska-config-keys.js';
export { coerceConfigValue } from './config/config-value.js';

export { ToskaHttpServer } from './http/toska-http.server.js';
export { TokenAuthenticator, type AuthGroup } from './auth/token-authenticator.js';
export { RateLimiter } from './rate-limit/rate-limiter.service.js';
export { TokenBuckets, type TakeResult, type TokenBucketSettings } from './rate-limit/token-bucket.js';
export { ServerState, STARTING_PERIOD_MS, type ServerStatusBody } from './server/server-state.js';
export type { FollowerStatusSource } from './replication/follower-status-source.js';
export { jasonStringify } from './http/jason-json.js';

export {
  KvEngine,
  type AofSlice,
  type ReplicationInfo,
  type SnapshotFile,
  type StoreStats,
  type StoredEntry,
  type SyncMode,
} from './store/kv-engine.js';
export { FileKvEngine } from './store/file-kv.engine.js';
export {
  ReplicaFollower,
  type ReplicaFollowerStatus,
} from './replication/follower/replica-follower.service.js';
