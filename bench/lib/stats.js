/** Percentile (nearest-rank) of an unsorted sample, in the sample's unit. */
export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Runs `fn` repeatedly for about `durationMs` (after a warm-up) and returns operations per second.
 * `fn` may be sync or async; async calls run one after another.
 */
export async function opsPerSecond(fn, { durationMs = 1000, batch = 1000 } = {}) {
  const isAsync = fn() instanceof Promise;
  const round = async () => {
    for (let i = 0; i < batch; i++) {
      if (isAsync) await fn();
      else fn();
    }
  };
  const warmUntil = performance.now() + Math.min(200, durationMs / 4);
  while (performance.now() < warmUntil) await round();
  let ops = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    await round();
    ops += batch;
  }
  return ops / ((performance.now() - started) / 1000);
}

/** Formats rows (arrays of cells) as an aligned text table. */
export function table(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Rounds for display. */
export function round(value, digits = 2) {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}
