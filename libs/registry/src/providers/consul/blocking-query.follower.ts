import { sleep } from '@toskamesh/common';
import type { BlockingResult } from './consul.types.js';

/**
 * The index of the next blocking query after an answer, by Consul's rules: an index that went
 * backwards (snapshot restore, a server bug) restarts the loop at 0; an answer is never followed by
 * index 0, which would not block.
 */
export function nextBlockingIndex(previous: number, returned: number): number {
  if (returned < previous) return 0;
  return Math.max(1, returned);
}

/**
 * Limits a blocking-query loop as Consul advises: quick answers pass at once (burst), a churning
 * resource degrades into polling every `refillMs`.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(
    private readonly burst = 3,
    private readonly refillMs = 250,
  ) {
    this.tokens = burst;
  }

  /** Waits until a query may go out (rejects when `signal` aborts). */
  async take(signal: AbortSignal): Promise<void> {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.updatedAt) / this.refillMs);
    this.updatedAt = now;
    if (this.tokens < 1) {
      await sleep((1 - this.tokens) * this.refillMs, signal);
      this.tokens = 1;
      this.updatedAt = Date.now();
    }
    this.tokens -= 1;
  }
}

/**
 * Follows one resource with blocking queries from `startIndex` (0 = answer at once), handing every
 * answer to `onAnswer`. Returns when `signal` aborts; throws the first failure (the caller reconnects).
 */
export async function followBlocking<T>(
  read: (index: number, signal: AbortSignal) => Promise<BlockingResult<T>>,
  startIndex: number,
  onAnswer: (body: T, index: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const limiter = new TokenBucket();
  let index = startIndex;
  while (!signal.aborted) {
    await limiter.take(signal);
    const answer = await read(index, signal);
    if (signal.aborted) return;
    index = nextBlockingIndex(index, answer.index);
    onAnswer(answer.body, answer.index);
  }
}
