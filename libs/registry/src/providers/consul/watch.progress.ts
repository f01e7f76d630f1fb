import { EventEmitter } from 'node:events';

/**
 * Where one watch stands: the Consul index of the last answer it applied, per service. A watch of
 * every service also knows the catalog index it applied: a service it does not follow (absent from
 * the catalog) is as current as that.
 */
export class WatchCursor {
  private readonly applied = new Map<string, number>();
  private catalogIndex = 0;

  constructor(
    /** The watched service, or `undefined` for every service. */
    readonly serviceName: string | undefined,
    private readonly changed: () => void,
  ) {}

  /** Whether a write to `serviceName` shows in this watch. */
  follows(serviceName: string): boolean {
    return this.serviceName === undefined || this.serviceName === serviceName;
  }

  /** An answer for `serviceName` at `index` was applied (its events pushed). */
  applyService(serviceName: string, index: number): void {
    this.applied.set(serviceName, index);
    this.changed();
  }

  /** A follower for `serviceName` starts: nothing of it is applied yet. */
  startService(serviceName: string): void {
    this.applied.set(serviceName, 0);
  }

  /** `serviceName` left the catalog (its removal applied at the catalog index). */
  dropService(serviceName: string): void {
    this.applied.delete(serviceName);
  }

  /** A catalog answer at `index` was applied. */
  applyCatalog(index: number): void {
    this.catalogIndex = index;
    this.changed();
  }

  /** The index up to which changes of `serviceName` have been applied. */
  appliedIndex(serviceName: string): number {
    return this.applied.get(serviceName) ?? (this.serviceName === undefined ? this.catalogIndex : 0);
  }
}

/**
 * Read-your-writes for the watches of one registry: after a write, the registry waits (bounded) until
 * its own watches that follow the service have applied the write's index, so a watcher in the same
 * process sees each of that process's writes as its own event, in order, instead of one merged diff.
 */
export class WatchProgress {
  private readonly cursors = new Set<WatchCursor>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  /** A cursor for a new watch; `release` it when the watch ends. */
  open(serviceName: string | undefined): WatchCursor {
    const cursor = new WatchCursor(serviceName, () => this.events.emit('progress'));
    this.cursors.add(cursor);
    return cursor;
  }

  release(cursor: WatchCursor): void {
    this.cursors.delete(cursor);
    this.events.emit('progress');
  }

  /** Whether any open watch follows `serviceName` (`undefined`: any watch at all). */
  follows(serviceName?: string): boolean {
    for (const cursor of this.cursors)
      if (serviceName === undefined || cursor.follows(serviceName)) return true;
    return false;
  }

  /** Resolves once every watch following `serviceName` applied `index`, or after `timeoutMs` regardless. */
  settle(serviceName: string, index: number, timeoutMs: number): Promise<void> {
    const done = () =>
      [...this.cursors].every(
        (cursor) => !cursor.follows(serviceName) || cursor.appliedIndex(serviceName) >= index,
      );
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.events.off('progress', check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      timer.unref();
      this.events.on('progress', check);
    });
  }
}
