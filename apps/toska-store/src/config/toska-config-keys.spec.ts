import { describe, expect, it } from '@jest/globals';
import { SETTABLE_CONFIG_KEYS } from '../cli/toska-config.store.js';
import { resolveToskaStoreOptions } from './resolve-toska-store-options.js';
import type { ToskaStoreOptions } from './toska-store-options.js';

/**
 * Every configuration key and `TOSKA_*` variable the contract names (shared/contracts/toskastore.md §1,
 * §5–§10), with a file value and an env value that differ from the defaults: pinned here one by one, so a
 * key dropped from the table in toska-config-keys.ts fails a test instead of being silently ignored.
 */
const CONTRACT_KEYS: Array<
  [file: string, option: keyof ToskaStoreOptions, fileValue: unknown, expected: unknown]
> = [
  ['host', 'host', '0.0.0.0', '0.0.0.0'],
  ['port', 'port', '4100', 4100],
  ['env', 'env', 'prod', 'prod'],
  ['data_dir', 'dataDir', '/srv/toska', '/srv/toska'],
  ['aof_file', 'aofFile', 'x.aof', 'x.aof'],
  ['snapshot_file', 'snapshotFile', 'x.json', 'x.json'],
  ['sync_mode', 'syncMode', 'always', 'always'],
  ['sync_interval_ms', 'syncIntervalMs', 250, 250],
  ['snapshot_interval_ms', 'snapshotIntervalMs', '5000', 5000],
  ['ttl_check_interval_ms', 'ttlCheckIntervalMs', 50, 50],
  ['compaction_interval_ms', 'compactionIntervalMs', 1000, 1000],
  ['compaction_aof_bytes', 'compactionAofBytes', 2048, 2048],
  ['auth_token', 'authToken', 'file-token', 'file-token'],
  ['replication_auth_token', 'replicationAuthToken', 'file-repl', 'file-repl'],
  ['rate_limit_per_sec', 'rateLimitPerSec', 5, 5],
  ['rate_limit_burst', 'rateLimitBurst', 7, 7],
  ['replica_url', 'replicaUrl', 'http://leader:4000', 'http://leader:4000'],
  ['replica_poll_interval_ms', 'replicaPollMs', 300, 300],
  ['replica_http_timeout_ms', 'replicaHttpTimeoutMs', 900, 900],
];

const CONTRACT_ENV: Array<
  [variable: string, option: keyof ToskaStoreOptions, value: string, expected: unknown]
> = [
  ['TOSKA_DATA_DIR', 'dataDir', '/env/data', '/env/data'],
  ['TOSKA_AUTH_TOKEN', 'authToken', 'env-token', 'env-token'],
  ['TOSKA_REPLICATION_AUTH_TOKEN', 'replicationAuthToken', 'env-repl', 'env-repl'],
  ['TOSKA_RATE_LIMIT_PER_SEC', 'rateLimitPerSec', '11', 11],
  ['TOSKA_RATE_LIMIT_BURST', 'rateLimitBurst', '13', 13],
  ['TOSKA_REPLICA_URL', 'replicaUrl', 'http://env-leader:4000', 'http://env-leader:4000'],
  ['TOSKA_REPLICA_POLL_MS', 'replicaPollMs', '150', 150],
  ['TOSKA_REPLICA_HTTP_TIMEOUT_MS', 'replicaHttpTimeoutMs', '750', 750],
];

describe('the contract configuration keys', () => {
  it.each(CONTRACT_KEYS)('reads %s from toska_config.json', (file, option, fileValue, expected) => {
    expect(resolveToskaStoreOptions({ env: {}, file: { [file]: fileValue } })[option]).toEqual(expected);
  });

  it.each(CONTRACT_KEYS)('lets "toska-store config set" store %s', (file) => {
    expect(SETTABLE_CONFIG_KEYS.map((key) => key.file)).toContain(file);
  });

  it.each(CONTRACT_ENV)('lets %s override the file', (variable, option, value, expected) => {
    const file = Object.fromEntries(CONTRACT_KEYS.map(([key, , fileValue]) => [key, fileValue]));
    expect(resolveToskaStoreOptions({ env: { [variable]: value }, file })[option]).toEqual(expected);
  });
});
