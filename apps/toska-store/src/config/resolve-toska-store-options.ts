import { join, resolve } from 'node:path';
import { coerceConfigValue } from './config-value.js';
import { readToskaConfigFile, toskaConfigDir, toskaConfigFilePath } from './toska-config-file.js';
import { TOSKA_CONFIG_KEYS } from './toska-config-keys.js';
import type { ToskaStoreOptions } from './toska-store-options.js';

type Env = Record<string, string | undefined>;

/** Defaults of {@link ToskaStoreOptions} except `dataDir` (which depends on `TOSKA_CONFIG_DIR`). */
export const TOSKA_STORE_DEFAULTS: Readonly<Omit<ToskaStoreOptions, 'dataDir'>> = {
  host: '127.0.0.1',
  port: 4000,
  aofFile: 'toska.aof',
  snapshotFile: 'toska_snapshot.json',
  syncMode: 'interval',
  syncIntervalMs: 1000,
  snapshotIntervalMs: 60_000,
  ttlCheckIntervalMs: 1000,
  compactionIntervalMs: 300_000,
  compactionAofBytes: 10_485_760,
  authToken: '',
  replicationAuthToken: '',
  rateLimitPerSec: 0,
  rateLimitBurst: 0,
  replicaUrl: '',
  replicaPollMs: 1000,
  replicaHttpTimeoutMs: 5000,
  maxBodyBytes: 8_000_000,
  maxKeyBytes: 8192,
  repair: false,
  env: 'dev',
  daemon: false,
  drainTimeoutMs: 10_000,
};

/** Where options come from, lowest precedence last: flags/code, then `TOSKA_*` env, then the config file. */
export interface ToskaStoreOptionSources {
  /** Explicit options (CLI flags such as `--host`/`--port`, or code); they win over env and file. */
  overrides?: Partial<ToskaStoreOptions>;
  /** Environment read for `TOSKA_*` and `TOSKA_CONFIG_DIR`. @default process.env */
  env?: Env;
  /**
   * The parsed config file (snake_case keys); `false` ignores it.
   * @default `toska_config.json` in `TOSKA_CONFIG_DIR` or `~/.toska`, when it exists
   */
  file?: Record<string, unknown> | false;
}

/**
 * Builds the server's options like the original: defaults, overridden by `toska_config.json`, overridden by
 * the `TOSKA_*` variables (an empty variable counts as unset, as upstream), overridden by explicit options.
 * Every value is validated; the first bad one throws `MeshConfigError` naming the key as written there.
 */
export function resolveToskaStoreOptions(sources: ToskaStoreOptionSources = {}): ToskaStoreOptions {
  const env = sources.env ?? process.env;
  const file = sources.file === undefined ? readToskaConfigFile(toskaConfigFilePath(env)) : sources.file;
  const merged: Record<string, unknown> = { dataDir: join(toskaConfigDir(env), 'data') };
  for (const key of TOSKA_CONFIG_KEYS) {
    if (file && Object.hasOwn(file, key.file)) {
      merged[key.option] = coerceConfigValue(
        `${key.file} (${TOSKA_CONFIG_FILE_LABEL})`,
        key.kind,
        file[key.file],
      );
    }
    const fromEnv = key.env === undefined ? undefined : env[key.env];
    if (key.env !== undefined && fromEnv !== undefined && fromEnv !== '') {
      merged[key.option] = coerceConfigValue(key.env, key.kind, fromEnv);
    }
  }
  for (const [option, value] of Object.entries(sources.overrides ?? {})) {
    if (value !== undefined) merged[option] = value;
  }
  return normalizeToskaStoreOptions(merged as Partial<ToskaStoreOptions>);
}

const TOSKA_CONFIG_FILE_LABEL = 'toska_config.json';

/**
 * Fills defaults into `options` and validates every field, throwing `MeshConfigError` naming the first bad
 * one. Reads neither env nor files: what the module and `startToskaStore` use, so tests are hermetic.
 * `dataDir` is made absolute (`/stats` reports absolute paths).
 */
export function normalizeToskaStoreOptions(options: Partial<ToskaStoreOptions> = {}): ToskaStoreOptions {
  const merged: Record<string, unknown> = {
    ...TOSKA_STORE_DEFAULTS,
    dataDir: join(toskaConfigDir({}), 'data'),
  };
  for (const key of TOSKA_CONFIG_KEYS) {
    const value = options[key.option];
    if (value !== undefined) merged[key.option] = coerceConfigValue(key.option, key.kind, value);
  }
  const result = merged as unknown as ToskaStoreOptions;
  return { ...result, dataDir: resolve(result.dataDir) };
}
