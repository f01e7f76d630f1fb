import { MeshConfigError } from '@toskamesh/common';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { coerceConfigValue } from '../config/config-value.js';
import { TOSKA_STORE_DEFAULTS } from '../config/resolve-toska-store-options.js';
import { readToskaConfigFile, toskaConfigDir, toskaConfigFilePath } from '../config/toska-config-file.js';
import { TOSKA_CONFIG_ALLOWED, TOSKA_CONFIG_KEYS, type ToskaConfigKey } from '../config/toska-config-keys.js';

type Env = Record<string, string | undefined>;

/** One effective setting as `config list` shows it. */
export interface ConfigSetting {
  key: string;
  value: unknown;
  /** Where the value comes from: the built-in default or `toska_config.json`. */
  source: 'default' | 'file';
  /** A `TOSKA_*` variable that is set and overrides the value when the server starts. */
  overriddenBy?: string;
}

/**
 * Keys `config set` accepts: every key the server reads except `daemon`, which only `start --daemon`
 * could mean and which this port does not support (run the server under a supervisor instead).
 */
export const SETTABLE_CONFIG_KEYS: readonly ToskaConfigKey[] = TOSKA_CONFIG_KEYS.filter(
  (key) => key.file !== 'daemon',
);

/**
 * `toska_config.json` (in `TOSKA_CONFIG_DIR` or `~/.toska`) as the `config` subcommands edit it. Unlike
 * the original, which wrote every default into the file, the file holds only what was set, so a later
 * release's defaults (and a moved `TOSKA_CONFIG_DIR`) apply to everything left unset. Unknown keys
 * already in the file are kept, as the original allowed them.
 */
export class ToskaConfigStore {
  readonly path: string;

  constructor(private readonly env: Env = process.env) {
    this.path = toskaConfigFilePath(env);
  }

  /** The value the server would read for `key` (before `TOSKA_*` overrides). */
  get(key: string): unknown {
    const file = this.readFile();
    if (Object.hasOwn(file, key)) return file[key];
    const known = SETTABLE_CONFIG_KEYS.find((candidate) => candidate.file === key);
    if (!known) throw unknownKey(key);
    return this.defaultOf(known);
  }

  /** Validates `raw` for `key`, stores it typed (integers as numbers) and returns the stored value. */
  set(key: string, raw: string): unknown {
    const known = SETTABLE_CONFIG_KEYS.find((candidate) => candidate.file === key);
    if (!known) throw unknownKey(key);
    const value = coerceConfigValue(key, known.kind, raw);
    this.writeFile({ ...this.readFile(), [key]: value });
    return value;
  }

  /** Every known key with its effective value, then unknown keys found in the file. */
  list(): ConfigSetting[] {
    const file = this.readFile();
    const settings: ConfigSetting[] = SETTABLE_CONFIG_KEYS.map((key) => {
      const inFile = Object.hasOwn(file, key.file);
      const env = key.env !== undefined && this.env[key.env] ? key.env : undefined;
      return {
        key: key.file,
        value: inFile ? file[key.file] : this.defaultOf(key),
        source: inFile ? 'file' : 'default',
        ...(env ? { overriddenBy: env } : {}),
      };
    });
    const known = new Set(settings.map((setting) => setting.key));
    for (const [key, value] of Object.entries(file)) {
      if (!known.has(key)) settings.push({ key, value, source: 'file' });
    }
    return settings;
  }

  /** Removes `keys` from the file so their defaults apply again; no keys = every key. */
  reset(keys: readonly string[] = []): void {
    if (keys.length === 0) {
      this.writeFile({});
      return;
    }
    const file = this.readFile();
    for (const key of keys) {
      const known = SETTABLE_CONFIG_KEYS.some((candidate) => candidate.file === key);
      if (!known && !Object.hasOwn(file, key)) throw unknownKey(key);
      delete file[key];
    }
    this.writeFile(file);
  }

  private defaultOf(key: ToskaConfigKey): unknown {
    if (key.option === 'dataDir') return join(toskaConfigDir(this.env), 'data');
    return TOSKA_STORE_DEFAULTS[key.option];
  }

  private readFile(): Record<string, unknown> {
    return { ...readToskaConfigFile(this.path) };
  }

  /** Atomic (tmp + rename) and private to the user: the file may hold tokens. */
  private writeFile(config: Record<string, unknown>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/** `syncMode`, `sync-mode`, `SYNC_MODE` → `sync_mode`. */
export function snakeCaseKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

function unknownKey(key: string): MeshConfigError {
  const snake = snakeCaseKey(key);
  const hint = SETTABLE_CONFIG_KEYS.some((known) => known.file === snake)
    ? ` (did you mean "${snake}"?)`
    : '';
  return new MeshConfigError(key, `is not a configuration key${hint}`, {
    allowed: SETTABLE_CONFIG_KEYS.map((known) => known.file).join(', '),
  });
}

/** What a key accepts, for help texts. */
export function allowedValues(key: ToskaConfigKey): string {
  return TOSKA_CONFIG_ALLOWED[key.kind];
}
