import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  TOSKA_STORE_DEFAULTS,
  normalizeToskaStoreOptions,
  resolveToskaStoreOptions,
} from './resolve-toska-store-options.js';

describe('resolveToskaStoreOptions', () => {
  it('gives the defaults with no file and no env, data under TOSKA_CONFIG_DIR', () => {
    const options = resolveToskaStoreOptions({ env: { TOSKA_CONFIG_DIR: '/etc/toska' }, file: false });
    expect(options).toEqual({ ...TOSKA_STORE_DEFAULTS, dataDir: '/etc/toska/data' });
  });

  it('puts data under ~/.toska when TOSKA_CONFIG_DIR is unset or empty', () => {
    const options = resolveToskaStoreOptions({ env: { TOSKA_CONFIG_DIR: '' }, file: false });
    expect(options.dataDir).toBe(join(homedir(), '.toska', 'data'));
  });

  it('reads the file snake_case keys, integers as numbers or integer strings', () => {
    const options = resolveToskaStoreOptions({
      env: {},
      file: {
        port: '4100',
        host: '0.0.0.0',
        data_dir: '/var/toska',
        sync_mode: 'always',
        snapshot_interval_ms: 5000,
        rate_limit_per_sec: '10',
        rate_limit_burst: 20,
        auth_token: 'file-token',
        replication_auth_token: null,
        replica_url: '',
        replica_poll_interval_ms: 250,
        log_level: 'debug',
        some_future_key: true,
      },
    });
    expect(options).toMatchObject({
      port: 4100,
      host: '0.0.0.0',
      dataDir: '/var/toska',
      syncMode: 'always',
      snapshotIntervalMs: 5000,
      rateLimitPerSec: 10,
      rateLimitBurst: 20,
      authToken: 'file-token',
      replicationAuthToken: '',
      replicaPollMs: 250,
    });
  });

  it('lets TOSKA_* variables override the file, and treats an empty variable as unset', () => {
    const options = resolveToskaStoreOptions({
      env: {
        TOSKA_AUTH_TOKEN: 'env-token',
        TOSKA_DATA_DIR: '/env/data',
        TOSKA_RATE_LIMIT_PER_SEC: '5',
        TOSKA_RATE_LIMIT_BURST: '',
        TOSKA_REPLICA_URL: 'http://leader:4000',
        TOSKA_REPLICA_POLL_MS: '100',
        TOSKA_REPLICA_HTTP_TIMEOUT_MS: '900',
        TOSKA_REPLICATION_AUTH_TOKEN: 'env-repl',
      },
      file: { auth_token: 'file-token', rate_limit_per_sec: 1, rate_limit_burst: 7, data_dir: '/file/data' },
    });
    expect(options).toMatchObject({
      authToken: 'env-token',
      dataDir: '/env/data',
      rateLimitPerSec: 5,
      rateLimitBurst: 7,
      replicaUrl: 'http://leader:4000',
      replicaPollMs: 100,
      replicaHttpTimeoutMs: 900,
      replicationAuthToken: 'env-repl',
    });
  });

  it('lets explicit options (CLI flags) override env and file', () => {
    const options = resolveToskaStoreOptions({
      env: { TOSKA_DATA_DIR: '/env/data' },
      file: { port: 4100, host: '0.0.0.0' },
      overrides: { port: 0, dataDir: '/flag/data', host: undefined },
    });
    expect(options).toMatchObject({ port: 0, dataDir: '/flag/data', host: '0.0.0.0' });
  });

  it.each([
    [{ file: { port: 70000 } }, 'port (toska_config.json)'],
    [{ file: { sync_mode: 'sometimes' } }, 'sync_mode (toska_config.json)'],
    [{ file: { snapshot_interval_ms: 0 } }, 'snapshot_interval_ms (toska_config.json)'],
    [{ file: { auth_token: 5 } }, 'auth_token (toska_config.json)'],
    [{ env: { TOSKA_RATE_LIMIT_BURST: '-1' } }, 'TOSKA_RATE_LIMIT_BURST'],
    [{ env: { TOSKA_RATE_LIMIT_PER_SEC: '1.5' } }, 'TOSKA_RATE_LIMIT_PER_SEC'],
    [{ env: { TOSKA_REPLICA_URL: 'ftp://leader' } }, 'TOSKA_REPLICA_URL'],
    [{ env: { TOSKA_REPLICA_POLL_MS: 'soon' } }, 'TOSKA_REPLICA_POLL_MS'],
    [{ overrides: { maxBodyBytes: 0 } }, 'maxBodyBytes'],
  ])('throws MeshConfigError naming the key for %j', (sources, key) => {
    let thrown: unknown;
    try {
      resolveToskaStoreOptions({ env: {}, file: false, ...sources });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MeshConfigError);
    expect((thrown as MeshConfigError).key).toBe(key);
    expect((thrown as MeshConfigError).message).toContain('Allowed:');
  });
});

describe('normalizeToskaStoreOptions', () => {
  it('fills every default and makes dataDir absolute', () => {
    const options = normalizeToskaStoreOptions({ dataDir: 'rel/data', port: 0 });
    expect(options).toEqual({ ...TOSKA_STORE_DEFAULTS, port: 0, dataDir: join(process.cwd(), 'rel/data') });
  });

  it('ignores the environment', () => {
    const saved = process.env.TOSKA_AUTH_TOKEN;
    process.env.TOSKA_AUTH_TOKEN = 'from-env';
    try {
      expect(normalizeToskaStoreOptions().authToken).toBe('');
    } finally {
      if (saved === undefined) delete process.env.TOSKA_AUTH_TOKEN;
      else process.env.TOSKA_AUTH_TOKEN = saved;
    }
  });

  it('throws MeshConfigError for a bad typed option', () => {
    expect(() => normalizeToskaStoreOptions({ syncMode: 'x' as never })).toThrow(MeshConfigError);
    expect(() => normalizeToskaStoreOptions({ host: ' ' })).toThrow('Configuration "host"');
  });
});
