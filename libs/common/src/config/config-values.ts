import { MeshConfigError } from '../errors/mesh-config.error.js';
import { parseDurationMs } from '../time/duration.js';

/** Parses an integer config value or throws {@link MeshConfigError} naming `key`. */
export function configInt(
  key: string,
  raw: string | undefined,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.trim());
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MeshConfigError(key, 'must be a whole number', {
      value: raw,
      allowed: `integers ${min}..${max}`,
    });
  }
  return value;
}

/** Parses `true/false/1/0/yes/no/on/off` (any case) or throws {@link MeshConfigError}. */
export function configBool(key: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new MeshConfigError(key, 'must be a boolean', {
    value: raw,
    allowed: 'true, false, 1, 0, yes, no, on, off',
  });
}

/** Parses a duration (`00:00:30`, `30`, `30s`, `250ms`) to milliseconds or throws {@link MeshConfigError}. */
export function configDurationMs(
  key: string,
  raw: string | undefined,
  bareUnit: 'ms' | 's' = 's',
): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return parseDurationMs(raw, bareUnit);
  } catch (error) {
    throw new MeshConfigError(key, 'must be a duration', {
      value: raw,
      allowed: `a TimeSpan like "00:00:30", bare ${bareUnit === 's' ? 'seconds' : 'milliseconds'}, or "250ms"/"30s"/"5m"`,
      cause: error,
    });
  }
}

/** Parses a comma-separated list, dropping blanks. */
export function configList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Returns `raw` when it is one of `allowed` (case-insensitive), in its canonical spelling; else throws. */
export function configChoice<T extends string>(
  key: string,
  raw: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const match = allowed.find((choice) => choice.toLowerCase() === raw.trim().toLowerCase());
  if (!match)
    throw new MeshConfigError(key, 'is not a known value', { value: raw, allowed: allowed.join(', ') });
  return match;
}

/** `value` without the keys whose value is `undefined`, so an options object holds only what was configured. */
export function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
