import { MeshConfigError } from '@toskamesh/common';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Name of the config file inside the config directory (the original's). */
export const TOSKA_CONFIG_FILE = 'toska_config.json';

type Env = Record<string, string | undefined>;

/** `TOSKA_CONFIG_DIR`, or `~/.toska` when it is unset or empty (as `config_manager.ex`). */
export function toskaConfigDir(env: Env = process.env): string {
  const dir = env.TOSKA_CONFIG_DIR;
  return dir === undefined || dir === '' ? join(homedir(), '.toska') : dir;
}

/** Full path of `toska_config.json`. */
export function toskaConfigFilePath(env: Env = process.env): string {
  return join(toskaConfigDir(env), TOSKA_CONFIG_FILE);
}

/**
 * Reads the config file: its JSON object (snake_case keys), or `undefined` when there is no file.
 * Unlike the original, which logged a warning and used the defaults, a file that is not a JSON object
 * stops the start: an operator who wrote a config file expects it to apply.
 */
export function readToskaConfigFile(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MeshConfigError(path, 'cannot be read', { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MeshConfigError(path, 'is not valid JSON', { allowed: 'a JSON object', cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MeshConfigError(path, 'is not a JSON object', { value: parsed, allowed: 'a JSON object' });
  }
  return parsed as Record<string, unknown>;
}
