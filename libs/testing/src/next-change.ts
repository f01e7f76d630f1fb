/**
 * A read that outlived its deadline stays attached to its iterator, so the next call picks up its
 * result instead of losing the item to an orphaned `next()`.
 */
const pendingReads = new WeakMap<object, Promise<IteratorResult<unknown>>>();

function readNext<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> {
  const pending = pendingReads.get(iterator) as Promise<IteratorResult<T>> | undefined;
  if (pending) return pending;
  const read = iterator.next();
  pendingReads.set(iterator, read);
  void read.then(
    () => pendingReads.delete(iterator),
    () => pendingReads.delete(iterator),
  );
  return read;
}

/**
 * Reads one item, at most `timeoutMs` later. Rejects when the deadline passes first or the iterator
 * ends. A read that timed out is not lost: the next call on the same iterator returns its item.
 */
export async function nextChange<T>(iterator: AsyncIterator<T>, timeoutMs = 5_000): Promise<T> {
  const result = await withDeadline(readNext(iterator), timeoutMs, 'the next watch item');
  if (result.done) throw new Error('the watch iterator ended while an item was expected');
  return result.value;
}

/**
 * Reads items until one satisfies `predicate` and returns it, skipping the others (changes made by
 * other tests sharing the backend). The whole search is bounded by `timeoutMs`.
 */
export async function nextChangeMatching<T>(
  iterator: AsyncIterator<T>,
  predicate: (item: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const skipped: T[] = [];
  const noMatch = () =>
    new Error(`no matching watch item within ${timeoutMs} ms; skipped ${describe(skipped)}`);
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw noMatch();
    let item: T;
    try {
      item = await nextChange(iterator, remaining);
    } catch (error) {
      if (Date.now() >= deadline) throw noMatch();
      throw error;
    }
    if (predicate(item)) return item;
    skipped.push(item);
  }
}

/**
 * Resolves `true` when the iterator reports `done` within `timeoutMs` (items still buffered before
 * the end are drained and ignored), `false` when it is still open at the deadline.
 */
export async function iteratorEnds(iterator: AsyncIterator<unknown>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    try {
      const result = await withDeadline(readNext(iterator), remaining, 'the end of the watch');
      if (result.done) return true;
    } catch {
      return false;
    }
  }
}

async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(items: unknown[]): string {
  if (items.length === 0) return 'nothing';
  const shown = items.slice(-5).map((item) => JSON.stringify(item).slice(0, 160));
  return `${items.length} item(s), last: ${shown.join(' | ')}`;
}
