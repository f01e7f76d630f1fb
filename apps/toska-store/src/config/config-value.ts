import { MeshConfigError, configBool } from '@toskamesh/common';
import { TOSKA_CONFIG_ALLOWED, type ToskaConfigKind } from './toska-config-keys.js';

const INTEGER = /^[+-]?\d+$/;
const SYNC_MODES = ['always', 'interval', 'none'] as const;
const ENVS = ['dev', 'test', 'prod'] as const;

/**
 * Checks one configuration value from any source (typed option, JSON file value, env string) and returns
 * it in its option type. Integers may be given as integer strings, as the original's `parse_value/1`
 * accepted. Throws {@link MeshConfigError} naming `name` (the key as the operator wrote it).
 */
export function coerceConfigValue(
  name: string,
  kind: ToskaConfigKind,
  raw: unknown,
): string | number | boolean {
  const value = coerce(name, kind, raw);
  if (value === undefined) {
    throw new MeshConfigError(name, 'is not allowed', { value: raw, allowed: TOSKA_CONFIG_ALLOWED[kind] });
  }
  return value;
}

function coerce(name: string, kind: ToskaConfigKind, raw: unknown): string | number | boolean | undefined {
  switch (kind) {
    case 'string':
      return raw === null ? '' : typeof raw === 'string' ? raw : undefined;
    case 'non-empty':
      return typeof raw === 'string' && raw.trim() !== '' ? raw : undefined;
    case 'port':
      return integerIn(raw, 0, 65535);
    case 'positive-int':
      return integerIn(raw, 1, Number.MAX_SAFE_INTEGER);
    case 'non-negative-int':
      return integerIn(raw, 0, Number.MAX_SAFE_INTEGER);
    case 'sync-mode':
      return SYNC_MODES.find((mode) => mode === raw);
    case 'env':
      return ENVS.find((env) => env === raw);
    case 'boolean':
      return typeof raw === 'boolean' ? raw : typeof raw === 'string' ? configBool(name, raw) : undefined;
    case 'url-or-empty':
      return urlOrEmpty(raw);
  }
}

function integerIn(raw: unknown, min: number, max: number): number | undefined {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && INTEGER.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

function urlOrEmpty(raw: unknown): string | undefined {
  if (raw === null || raw === '') return '';
  if (typeof raw !== 'string') return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}
