/**
 * `over` laid on `base`, recursively for plain objects; arrays and other values in `over` replace those
 * in `base`, and undefined fields of `over` leave `base` alone. Neither input is modified.
 */
export function mergeOptions<T extends object>(base: T | undefined, over: T | undefined): T {
  if (base === undefined) return (over ?? {}) as T;
  if (over === undefined) return base;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeOptions(current, value) : value;
  }
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
