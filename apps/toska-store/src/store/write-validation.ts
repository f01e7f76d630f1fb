/** Problems of a key or value: not a string, or not representable in UTF-8 (a lone surrogate). */
export function stringProblems(name: string, value: unknown): string[] {
  if (typeof value !== 'string') return [`${name} must be a string`];
  // A lone surrogate would be stored as U+FFFD by the UTF-8 file and come back different after a restart.
  const wellFormed = (value as unknown as { isWellFormed(): boolean }).isWellFormed();
  return wellFormed ? [] : [`${name} contains a lone UTF-16 surrogate, which UTF-8 cannot carry`];
}

/** Problems of a ttl: must be `null` or a whole number (any sign; infinities allowed, clamped later). */
export function ttlProblems(ttlMs: number | null): string[] {
  if (ttlMs === null) return [];
  if (
    typeof ttlMs !== 'number' ||
    Number.isNaN(ttlMs) ||
    (Number.isFinite(ttlMs) && !Number.isInteger(ttlMs))
  ) {
    return [`ttlMs must be a whole number of milliseconds or null (got ${String(ttlMs)})`];
  }
  return [];
}
