import { Logger } from '@nestjs/common';
import { compareKeys, type KeyPrefix } from '../../keys/key-prefix.js';
import type { ToskaStoreKvApi } from './toskastore-kv.api.js';

/** One pending change of the index: `prune` removes a key only if it is still missing when applied. */
interface IndexOp {
  kind: 'add' | 'remove' | 'prune';
  key: string;
}

/**
 * The key list of a ToskaStore without `/kv/keys` (`enableKeyIndex`): a JSON array of caller keys stored
 * under the prefixed `keyIndexKey`, the format of the .NET original, so both can share one index.
 *
 * ToskaStore has no CAS, so an update is a read-modify-write. Within this process updates are serialized
 * on one queue, and the changes that pile up while one write is in flight are applied together by the
 * next (one GET + at most one PUT per batch; no PUT when nothing changed). Across processes two writers
 * can still overwrite each other: a key added by one may vanish from the list (its value stays). Keys the
 * list names but the store no longer has (TTL expiry, a lost removal) are pruned when listing sees them.
 */
export class ToskaStoreKeyIndex {
  private readonly logger = new Logger(ToskaStoreKeyIndex.name);
  private readonly stored: string;
  private pending: IndexOp[] = [];
  private scheduled: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: ToskaStoreKvApi,
    private readonly prefix: KeyPrefix,
    /** The caller-level key of the index (`__keys`); stored under the prefix like any key. */
    readonly key: string,
  ) {
    this.stored = prefix.apply(key);
  }

  /** Records that `key` exists; resolves once the index holding it is written. */
  add(key: string): Promise<void> {
    return this.enqueue([{ kind: 'add', key }]);
  }

  /** Records that `key` is gone; resolves once the index without it is written. */
  remove(key: string): Promise<void> {
    return this.enqueue([{ kind: 'remove', key }]);
  }

  /**
   * Drops `keys` that a read found missing, after checking again inside the queue: a `set` that raced
   * with the read has written its value by then and keeps its entry.
   */
  prune(keys: readonly string[]): Promise<void> {
    return this.enqueue(keys.map((key) => ({ kind: 'prune' as const, key })));
  }

  /** The listed keys, sorted. A missing index is empty; an unreadable one is logged and taken as empty. */
  async read(): Promise<string[]> {
    const text = await this.api.get(this.stored);
    if (text === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      this.logger.warn(`Key index "${this.stored}" is not a JSON array; it is rebuilt from the next write`);
      return [];
    }
    return parsed.filter((key): key is string => typeof key === 'string' && key !== '').sort(compareKeys);
  }

  /** Resolves when every update queued so far has settled (for `close()`). */
  async idle(): Promise<void> {
    await this.tail;
  }

  private enqueue(ops: IndexOp[]): Promise<void> {
    this.pending.push(...ops);
    if (!this.scheduled) {
      const next = this.tail.then(() => {
        this.scheduled = undefined;
        return this.flush(this.pending.splice(0));
      });
      this.scheduled = next;
      this.tail = next.then(
        () => undefined,
        () => undefined,
      );
    }
    return this.scheduled;
  }

  private async flush(ops: IndexOp[]): Promise<void> {
    if (ops.length === 0) return;
    const current = await this.read();
    const stillMissing = await this.missingOf(ops.filter((op) => op.kind === 'prune').map((op) => op.key));
    const next = new Set(current);
    for (const { kind, key } of ops) {
      if (kind === 'add') next.add(key);
      else if (kind === 'remove' || stillMissing.has(key)) next.delete(key);
    }
    const keys = [...next].sort(compareKeys);
    if (keys.length === current.length && keys.every((key, i) => key === current[i])) return;
    await this.api.put(this.stored, JSON.stringify(keys));
  }

  private async missingOf(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.api.mget(keys.map((key) => this.prefix.apply(key)));
    return new Set(keys.filter((key) => !found.has(this.prefix.apply(key))));
  }
}
