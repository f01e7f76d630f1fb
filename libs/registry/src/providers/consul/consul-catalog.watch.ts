import { sleep } from '@toskamesh/common';
import { followBlocking, nextBlockingIndex } from './blocking-query.follower.js';
import type { ChangeStream } from './change.stream.js';
import { diffStates, type ServiceState } from './consul-change.differ.js';
import type { ConsulHealthEntry } from './consul.types.js';
import { pushSnapshot, reconnectDelayMs, tracker, type WatchContext } from './consul-service.watch.js';
import type { WatchCursor } from './watch.progress.js';

/** Catalog names that are mesh services (Consul's own `consul` service is not). */
export function meshServiceNames(catalog: Record<string, unknown>): string[] {
  return Object.keys(catalog)
    .filter((name) => name !== 'consul')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const INITIAL_READ_CONCURRENCY = 8;

/** One connected period of an all-services watch: snapshot, then followers until a failure or abort. */
class CatalogRound {
  private readonly states = new Map<string, ServiceState>();
  private readonly followers = new Map<string, AbortController>();
  private readonly track: ReturnType<typeof tracker>;

  constructor(
    private readonly context: WatchContext,
    private readonly stream: ChangeStream,
    private readonly cursor: WatchCursor,
    private readonly signal: AbortSignal,
    private readonly onAnswer: () => void,
  ) {
    this.track = tracker(context);
  }

  /** Resolves when `signal` aborts; rejects with the first failure of any blocking query. */
  async run(): Promise<void> {
    const { client } = this.context;
    const catalog = await client.catalogServices({ signal: this.signal });
    const names = meshServiceNames(catalog.body);
    const indexes = new Map<string, number>();
    for (let at = 0; at < names.length; at += INITIAL_READ_CONCURRENCY) {
      await Promise.all(
        names.slice(at, at + INITIAL_READ_CONCURRENCY).map(async (name) => {
          const health = await client.healthService(name, false, { signal: this.signal });
          this.states.set(name, this.track(health.body));
          indexes.set(name, health.index);
        }),
      );
    }
    pushSnapshot(this.stream, this.context, this.states.values());
    for (const [name, index] of indexes) this.cursor.applyService(name, index);
    this.cursor.applyCatalog(catalog.index);
    return new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => (this.signal.aborted ? resolve() : reject(error));
      this.signal.addEventListener('abort', () => resolve(), { once: true });
      for (const name of names) this.follow(name, nextBlockingIndex(0, indexes.get(name) ?? 0), fail);
      const read = (index: number, signal: AbortSignal) => client.catalogServices({ index, signal });
      const onCatalog = (body: Record<string, string[]>, index: number) => this.onCatalog(body, index, fail);
      followBlocking(read, nextBlockingIndex(0, catalog.index), onCatalog, this.signal).catch(fail);
    });
  }

  private follow(name: string, startIndex: number, fail: (error: unknown) => void): void {
    const controller = new AbortController();
    const stop = () => controller.abort();
    this.signal.addEventListener('abort', stop, { once: true });
    this.followers.set(name, controller);
    this.cursor.startService(name);
    const read = (index: number, signal: AbortSignal) =>
      this.context.client.healthService(name, false, { index, signal });
    const onAnswer = (body: ConsulHealthEntry[], index: number) => {
      this.apply(name, this.track(body));
      this.cursor.applyService(name, index);
    };
    followBlocking(read, startIndex, onAnswer, controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) fail(error);
      })
      .finally(() => this.signal.removeEventListener('abort', stop));
  }

  /** A name new to the catalog gets a follower (its first answer registers its instances); a gone one is dropped. */
  private onCatalog(body: Record<string, string[]>, index: number, fail: (error: unknown) => void): void {
    const names = new Set(meshServiceNames(body));
    for (const name of names) {
      if (this.followers.has(name)) continue;
      this.states.set(name, new Map());
      this.follow(name, 0, fail);
    }
    for (const [name, controller] of [...this.followers]) {
      if (names.has(name)) continue;
      controller.abort();
      this.followers.delete(name);
      this.apply(name, new Map());
      this.states.delete(name);
      this.cursor.dropService(name);
    }
    this.cursor.applyCatalog(index);
  }

  private apply(name: string, next: ServiceState): void {
    this.onAnswer();
    const previous = this.states.get(name) ?? new Map();
    for (const event of diffStates(previous, next, () => this.context.nextIndex())) this.stream.push(event);
    this.states.set(name, next);
    if (this.stream.needsResync) pushSnapshot(this.stream, this.context, this.states.values());
  }
}

/**
 * Watches every service until `signal` aborts: a blocking query on the catalog finds services coming
 * and going, one blocking query per service follows its instances. Any failure tears the round down,
 * backs off (jittered) and starts over with a fresh snapshot; it never throws.
 */
export async function runCatalogWatch(
  context: WatchContext,
  stream: ChangeStream,
  cursor: WatchCursor,
  signal: AbortSignal,
): Promise<void> {
  let attempt = 0;
  while (!signal.aborted) {
    const round = new AbortController();
    const stop = () => round.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await new CatalogRound(context, stream, cursor, round.signal, () => (attempt = 0)).run();
    } catch (error) {
      if (signal.aborted) return;
      const delay = reconnectDelayMs(attempt++);
      context.logger.warn(
        `Watch of all services lost (${(error as Error).message}); retrying in ${delay} ms`,
      );
      round.abort();
      await sleep(delay, signal).catch(() => undefined);
    } finally {
      round.abort();
      signal.removeEventListener('abort', stop);
    }
  }
}
