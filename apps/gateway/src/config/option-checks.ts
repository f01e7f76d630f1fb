import { MAX_TIMER_MS, MeshConfigError } from '@toskamesh/common';

/**
 * The name an operator recognises for an option path: the dotted option and its environment variable,
 * e.g. `upstream.retry.maxRetries (Mesh__Gateway__Upstream__Retry__MaxRetries)`.
 */
export function optionKey(path: string): string {
  const variable = path
    .split('.')
    .map((segment) => segment.charAt(0).toUpperCase() + segment.slice(1))
    .join('__');
  return `${path} (Mesh__Gateway__${variable})`;
}

function fail(path: string, problem: string, value: unknown, allowed?: string): never {
  throw new MeshConfigError(optionKey(path), problem, { value, ...(allowed ? { allowed } : {}) });
}

/** A whole number in `[min, max]`, or `fallback` when absent. */
export function intOption(path: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(path, 'must be a whole number in range', value, `${min}..${max}`);
  }
  return value;
}

/** A finite number in `[min, max]`, or `fallback` when absent. */
export function numberOption(
  path: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(path, 'must be a number in range', value, `${min}..${max}`);
  }
  return value;
}

/** Milliseconds a timer can wait (`min`..2^31-1), or `fallback` when absent. */
export function msOption(path: string, value: unknown, fallback: number, min = 1): number {
  return intOption(path, value, fallback, min, MAX_TIMER_MS);
}

/** A boolean, or `fallback` when absent. */
export function boolOption(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(path, 'must be a boolean', value, 'true, false');
  return value;
}

/** A string (trimmed), or `fallback` when absent; `pattern` and `nonEmpty` restrict it. */
export function stringOption(
  path: string,
  value: unknown,
  fallback: string,
  rules: { nonEmpty?: boolean; pattern?: RegExp; allowed?: string } = {},
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') fail(path, 'must be a string', value, rules.allowed);
  const text = value.trim();
  if (rules.nonEmpty && text === '') fail(path, 'must not be blank', value, rules.allowed);
  if (rules.pattern && !rules.pattern.test(text)) fail(path, 'is not allowed', value, rules.allowed);
  return text;
}

/** One of `allowed` (case-insensitive, returned in its canonical spelling), or `fallback` when absent. */
export function choiceOption<T extends string>(
  path: string,
  value: unknown,
  fallback: T,
  allowed: readonly T[],
): T {
  if (value === undefined) return fallback;
  const match =
    typeof value === 'string'
      ? allowed.find((choice) => choice.toLowerCase() === value.trim().toLowerCase())
      : undefined;
  if (match === undefined) fail(path, 'is not a known value', value, allowed.join(', '));
  return match;
}

/** A list whose items each pass `item` (which gets the item's path `path[i]`), or `fallback` when absent. */
export function listOption<T>(
  path: string,
  value: unknown,
  fallback: readonly T[],
  item: (itemPath: string, value: unknown) => T,
): T[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value)) fail(path, 'must be a list', value);
  return value.map((entry, index) => item(`${path}[${index}]`, entry));
}

/** RFC 9110 token characters: header names, methods. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header name, lower-cased. */
export function headerNameItem(path: string, value: unknown): string {
  return stringOption(path, value, '', {
    nonEmpty: true,
    pattern: TOKEN,
    allowed: 'an HTTP header name',
  }).toLowerCase();
}

/** A URL path starting with `/` made of safe segments (no `.`/`..`, no encoded or reserved characters). */
export function pathOption(path: string, value: unknown, fallback: string): string {
  const text = stringOption(path, value, fallback, { nonEmpty: true });
  const segments = text.split('/').filter(Boolean);
  const safe = text.startsWith('/') && segments.every((s) => /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/.test(s));
  if (!safe || segments.some((s) => s === '.' || s === '..')) {
    fail(
      path,
      'must be a path of plain segments',
      value,
      'e.g. "/admin" (letters, digits, "-", "_", ".", "~")',
    );
  }
  return `/${segments.join('/')}`;
}
