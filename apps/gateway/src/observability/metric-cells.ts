import type { Counter, Gauge } from 'prom-client';

/** Label values of one series, built once and reused for every update. */
export type Labels = Readonly<Record<string, string>>;

/**
 * A counter series counted in a plain number and handed to prom-client only when scraped: a request
 * then costs an increment, not prom-client's per-call label hashing and validation.
 */
export class CounterCell {
  private pending = 0;

  constructor(readonly labels: Labels) {}

  inc(): void {
    this.pending += 1;
  }

  /** Moves the count gathered since the last flush into `counter`. */
  flushTo(counter: Counter): void {
    if (this.pending === 0) return;
    counter.inc(this.labels, this.pending);
    this.pending = 0;
  }
}

/**
 * A gauge series kept in a plain number; a flush adds the change since the last flush, so several
 * gateways in one process (tests) sum up instead of overwriting each other.
 */
export class GaugeCell {
  value = 0;
  private flushed = 0;

  constructor(readonly labels: Labels) {}

  flushTo(gauge: Gauge): void {
    const delta = this.value - this.flushed;
    if (delta === 0) return;
    gauge.inc(this.labels, delta);
    this.flushed = this.value;
  }
}

/** Something holding cells to flush before a scrape. */
export interface Flushable {
  flush(): void;
}

/**
 * Live metric holders of this process. Module state on purpose, like prom-client's global registry
 * the metrics live in: a metric's `collect` hook (set once, when the metric is first created) must reach
 * every holder, including ones created after it.
 */
const holders = new Set<Flushable>();

/** Registers `holder` so scrapes see its counts; returns the function that unregisters it. */
export function registerFlushable(holder: Flushable): () => void {
  holders.add(holder);
  return () => holders.delete(holder);
}

/** `collect` hook of every gateway metric: brings every holder's counts into prom-client. */
export function flushAll(): void {
  for (const holder of holders) holder.flush();
}

/** A child map entry, created on first use. */
export function cached<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
