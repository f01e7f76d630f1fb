import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snakeCaseKey, ToskaConfigStore } from './toska-config.store.js';

describe(ToskaConfigStore.name, () => {
  let dir: string;
  let store: ToskaConfigStore;
  const fileContent = async () =>
    JSON.parse(await readFile(join(dir, 'toska_config.json'), 'utf8')) as unknown;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'toska-config-'));
    store = new ToskaConfigStore({ TOSKA_CONFIG_DIR: dir });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('set', () => {
    it('stores integers as numbers and only the keys that were set', async () => {
      expect(store.set('port', '8080')).toBe(8080);
      expect(store.set('sync_mode', 'none')).toBe('none');
      expect(await fileContent()).toEqual({ port: 8080, sync_mode: 'none' });
    });

    it('writes a file only its owner can read, since it may hold tokens', async () => {
      store.set('auth_token', 'secret');
      expect((await stat(join(dir, 'toska_config.json'))).mode & 0o777).toBe(0o600);
    });

    it.each([
      ['sync_mode', 'sometimes', 'always, interval, none'],
      ['sync_interval_ms', '0', 'an integer > 0'],
      ['snapshot_interval_ms', '1.5', 'an integer > 0'],
      ['compaction_aof_bytes', 'lots', 'an integer > 0'],
      ['rate_limit_burst', '-1', 'an integer >= 0'],
      ['port', '65536', '0..65535'],
      ['env', 'staging', 'dev, test, prod'],
      ['replica_url', 'leader:4000', 'http(s) URL'],
    ])('refuses %s = %p', (key, value, allowed) => {
      expect(() => store.set(key, value)).toThrow(MeshConfigError);
      expect(() => store.set(key, value)).toThrow(allowed);
    });

    it('refuses keys that are not snake_case config keys, suggesting the right spelling', () => {
      expect(() => store.set('syncMode', 'none')).toThrow('did you mean "sync_mode"');
      expect(() => store.set('log_level', 'info')).toThrow('is not a configuration key');
      expect(() => store.set('daemon', 'true')).toThrow('is not a configuration key');
    });
  });

  describe('get', () => {
    it('returns the file value, else the default, with data_dir under TOSKA_CONFIG_DIR', () => {
      store.set('sync_interval_ms', '250');
      expect(store.get('sync_interval_ms')).toBe(250);
      expect(store.get('sync_mode')).toBe('interval');
      expect(store.get('data_dir')).toBe(join(dir, 'data'));
    });

    it('returns unknown keys found in the file, and refuses other unknown keys', async () => {
      await writeFile(join(dir, 'toska_config.json'), JSON.stringify({ log_level: 'debug' }));
      expect(store.get('log_level')).toBe('debug');
      expect(() => store.get('colour')).toThrow(MeshConfigError);
    });
  });

  describe('list', () => {
    it('marks where each value comes from and which TOSKA_* variable overrides it', () => {
      store = new ToskaConfigStore({ TOSKA_CONFIG_DIR: dir, TOSKA_AUTH_TOKEN: 'from-env' });
      store.set('auth_token', 'from-file');
      const settings = store.list();
      expect(settings.find((setting) => setting.key === 'auth_token')).toEqual({
        key: 'auth_token',
        value: 'from-file',
        source: 'file',
        overriddenBy: 'TOSKA_AUTH_TOKEN',
      });
      expect(settings.find((setting) => setting.key === 'port')).toEqual({
        key: 'port',
        value: 4000,
        source: 'default',
      });
    });
  });

  describe('reset', () => {
    it('removes single keys so their defaults apply, keeping the rest', async () => {
      store.set('port', '8080');
      store.set('host', '0.0.0.0');
      store.reset(['port']);
      expect(await fileContent()).toEqual({ host: '0.0.0.0' });
      expect(() => store.reset(['colour'])).toThrow(MeshConfigError);
    });

    it('empties the file when no keys are given', async () => {
      store.set('port', '8080');
      store.reset();
      expect(await fileContent()).toEqual({});
    });
  });
});

describe('snakeCaseKey', () => {
  it.each([
    ['syncMode', 'sync_mode'],
    ['sync-mode', 'sync_mode'],
    ['SYNC_MODE', 'sync_mode'],
    ['replicaHttpTimeoutMs', 'replica_http_timeout_ms'],
  ])('turns %p into %p', (input, expected) => {
    expect(snakeCaseKey(input)).toBe(expected);
  });
});
