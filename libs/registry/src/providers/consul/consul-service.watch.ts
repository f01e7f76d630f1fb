import type { Logger } from '@nestjs/common';
import { backoffDelayMs, sleep } from '@toskamesh/common';
import type { ConsulAgentClient } from './consul-agent.client.js';
import { diffStates, snapshotInstances, trackEntries, type ServiceState } from './consul-change.differ.js';
import type { ChangeStream } from './change.stream.js';
import { followBlocking, nextBlockingIndex } from './blocking-query.follower.js';
import type { ConsulHealthEntry } from './consul.types.js';
import type { WatchCursor } from './watch.progress.js';

/** What the watch loops need from the registry. */
export interface WatchContext {
  client: ConsulAgentClient;
  /** The registry's change counter: only grows, one step per emitted item. */
  nextIndex(): number;
  lastHeartbeat(serviceId: string): Date | null;
  logger: Logger;
}

/** Delay before reconnect attempt `attempt` (0-based): 250 ms doubling to 30 s, full jitter. */
export function reconnectDelayMs(attempt: number): number {
  return backoffDelayMs(attempt, { initialMs: 250, maxMs: 30_000 });
}

/** Turns health answers into states with the context's heartbeat times. */
export function tracker(context: WatchContext): (entries: readonly ConsulHealthEntry[]) => ServiceState {
  return (entries) => trackEntries(entries, (id) => context.lastHeartbeat(id));
}

/** Pushes a snapshot of `states` (or resynchronises a consumer that fell behind). */
export function pushSnapshot(
  stream: ChangeStream,
  context: WatchContext,
  states: Iterable<ServiceState>,
): void {
  const snapshot = {
    type: 'snapshot' as const,
    instances: snapshotInstances(states),
    index: context.nextIndex(),
  };
  if (stream.needsResync) stream.resync(snapshot);
  else stream.push(snapshot);
}

/**
 * Watches one service until `signal` aborts: a snapshot, then the diff of each blocking-query answer.
 * On a failure it backs off (jittered) and starts over with a fresh snapshot; it never throws.
 */
export async function runServiceWatch(
  context: WatchContext,
  serviceName: string,
  stream: ChangeStream,
  cursor: WatchCursor,
  signal: AbortSignal,
): Promise<void> {
  const track = tracker(context);
  let attempt = 0;
  while (!signal.aborted) {
    try {
      const first = await context.client.healthService(serviceName, false, { signal });
      let state = track(first.body);
      pushSnapshot(stream, context, [state]);
      cursor.applyService(serviceName, first.index);
      const read = (index: number, querySignal: AbortSignal) =>
        context.client.healthService(serviceName, false, { index, signal: querySignal });
      const onAnswer = (body: ConsulHealthEntry[], index: number) => {
        attempt = 0;
        const next = track(body);
        for (const event of diffStates(state, next, () => context.nextIndex())) stream.push(event);
        state = next;
        if (stream.needsResync) pushSnapshot(stream, context, [state]);
        cursor.applyService(serviceName, index);
      };
      await followBlocking(read, nextBlockingIndex(0, first.index), onAnswer, signal);
    } catch (error) {
      if (signal.aborted) return;
      const delay = reconnectDelayMs(attempt++);
      context.logger.warn(
        `Watch of "${serviceName}" lost (${(error as Error).message}); retrying in ${delay} ms`,
      );
      await sleep(delay, signal).catch(() => undefined);
    }
  }
}
