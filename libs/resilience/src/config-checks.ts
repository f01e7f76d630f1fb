import { MeshConfigError } from '@toskamesh/common';

/** Bounds a numeric option must respect. */
export interface NumberRule {
  min?: number;
  max?: number;
  /** Lowest value excluded rather than allowed. */
  minExclusive?: boolean;
  integer?: boolean;
  /** `undefined` is an error too (for required options). */
  required?: boolean;
}

/**
 * Throws a {@link MeshConfigError} naming `key` unless `value` is a finite number within `rule` (or undefined
 * when not `required`). Options are checked when a module or registry is built, so a bad value never reaches a
 * live call.
 */
export function checkNumber(key: string, value: unknown, rule: NumberRule): void {
  if (value === undefined && !rule.required) return;
  const { min = -Infinity, max = Infinity, minExclusive = false, integer = false } = rule;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) &&
    value <= max;
  if (!ok) throw new MeshConfigError(key, 'is out of range', { value, allowed: describe(rule) });
}

/** Throws a {@link MeshConfigError} naming `key` unless `value` is undefined or a function. */
export function checkFunction(key: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    throw new MeshConfigError(key, 'must be a function', { value: typeof value });
}

function describe({ min, max, minExclusive, integer }: NumberRule): string {
  const kind = integer ? 'an integer' : 'a number';
  const low = min === undefined ? '' : ` ${minExclusive ? '>' : '>='} ${min}`;
  const high = max === undefined ? '' : `${low ? ' and' : ''} <= ${max}`;
  return `${kind}${low}${high}`;
}
