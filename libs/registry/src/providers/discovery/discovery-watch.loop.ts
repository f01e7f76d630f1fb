import type { LoggerService } from '@nestjs/common';
import { backoffDelayMs, sleep, type BackoffOptions } from '@toskamesh/common';
import type { RegistryChange } from '../../registry-change.js';

/** Opens one watch connection, resuming after `fromIndex` when given. */
export type WatchOpener = (
  fromIndex: number | undefined,
  signal: AbortSignal,
) => AsyncIterable<RegistryChange>;

/** Settings of {@link reconnectingWatch}. */
export interface ReconnectingWatchOptions {
  /** Ends the iteration. */
  signal: AbortSignal;
  /** Delays between reconnects (attempt 0 = after the first failure in a row). */
  backoff?: BackoffOptions;
  /** Where connection failures are reported (they are never thrown). */
  logger?: Pick<LoggerService, 'warn'>;
  /** What is watched, for log lines. */
  label?: string;
  /** Jitter source, injectable for tests. */
  random?: () => number;
}

/** Reconnect delays: fast first retry, then at most 10 s between attempts. */
export const WATCH_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000 };

/**
 * Keeps a watch alive across connections: reconnects after every failure or server close with back-off,
 * resuming after the last index seen, and drops events the server replays at or below that index (a
 * snapshot always passes and resets it). Never throws; returns when `signal` aborts.
 */
export async function* reconnectingWatch(
  open: WatchOpener,
  options: ReconnectingWatchOptions,
): AsyncGenerator<RegistryChange> {
  const { signal, backoff = WATCH_BACKOFF, logger, label = 'registry watch', random = Math.random } = options;
  let index: number | undefined;
  let failures = 0;
  while (!signal.aborted) {
    try {
      for await (const change of open(index, signal)) {
        failures = 0;
        if (change.type !== 'snapshot' && index !== undefined && change.index <= index) continue;
        index = change.index;
        yield change;
      }
    } catch (error) {
      if (signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      logger?.warn(`${label} failed (attempt ${failures + 1}), reconnecting: ${reason}`);
    }
    if (signal.aborted) return;
    // A stream that ended cleanly after delivering changes reconnects quickly; one that keeps
    // failing (or closing at once) waits longer each time.
    const delay = backoffDelayMs(failures, backoff, random);
    failures += 1;
    try {
      await sleep(delay, signal);
    } catch {
      return;
    }
  }
}
