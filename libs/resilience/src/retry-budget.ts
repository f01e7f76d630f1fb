import { checkNumber } from './config-checks.js';

/** Settings of a {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Retries allowed per first attempt, i.e. the extra load retries may add (0.2 = +20 %). @default 0.2 */
  ratio?: number;
  /** Retries always allowed per second on top of `ratio`, so a quiet client can still retry. @default 10 */
  minRetriesPerSecond?: number;
  /** Sliding window over which attempts and retries are counted, in ms. @default 10000 */
  windowMs?: number;
}

const BUCKETS = 10;

/** Throws a `MeshConfigError` naming `key.<field>` for the first option out of range. */
export function checkRetryBudgetOptions(key: string, options: RetryBudgetOptions = {}): void {
  checkNumber(`${key}.ratio`, options.ratio, { min: 0 });
  checkNumber(`${key}.minRetriesPerSecond`, options.minRetriesPerSecond, { min: 0 });
  checkNumber(`${key}.windowMs`, options.windowMs, { min: BUCKETS, integer: true });
}

/**
 * Caps retries at a share of real traffic (Finagle's / Linkerd's retry budget), so a failing upstream sees at
 * most `1 + ratio` times its normal load instead of `maxAttempts` times. Token-bucket style over a sliding
 * window: each first attempt deposits `ratio` tokens, each retry withdraws one, and
 * `minRetriesPerSecond * window` tokens are always there. Counts live in 10 buckets rotated lazily from the
 * clock, so the budget needs no timer.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly reserve: number;
  private readonly bucketMs: number;
  private readonly deposits = new Array<number>(BUCKETS).fill(0);
  private readonly withdrawals = new Array<number>(BUCKETS).fill(0);
  private readonly epochs = new Array<number>(BUCKETS).fill(-Infinity);

  constructor(
    options: RetryBudgetOptions = {},
    private readonly now: () => number = () => Date.now(),
  ) {
    checkRetryBudgetOptions('retryBudget', options);
    const { ratio = 0.2, minRetriesPerSecond = 10, windowMs = 10_000 } = options;
    this.ratio = ratio;
    this.reserve = (minRetriesPerSecond * windowMs) / 1000;
    this.bucketMs = windowMs / BUCKETS;
  }

  /** Records a first attempt (never a retry): earns `ratio` retry tokens. */
  deposit(): void {
    this.deposits[this.currentSlot()]! += 1;
  }

  /** Takes one retry token if the budget has one; `false` means do not retry. */
  tryWithdraw(): boolean {
    if (this.balance() < 1) return false;
    this.withdrawals[this.currentSlot()]! += 1;
    return true;
  }

  /** Retry tokens available now. */
  balance(): number {
    const epoch = this.epoch();
    let deposits = 0;
    let withdrawals = 0;
    for (let slot = 0; slot < BUCKETS; slot++) {
      if (this.epochs[slot]! <= epoch - BUCKETS) continue;
      deposits += this.deposits[slot]!;
      withdrawals += this.withdrawals[slot]!;
    }
    return this.reserve + deposits * this.ratio - withdrawals;
  }

  private epoch(): number {
    return Math.floor(this.now() / this.bucketMs);
  }

  private currentSlot(): number {
    const epoch = this.epoch();
    const slot = ((epoch % BUCKETS) + BUCKETS) % BUCKETS;
    if (this.epochs[slot] !== epoch) {
      this.epochs[slot] = epoch;
      this.deposits[slot] = 0;
      this.withdrawals[slot] = 0;
    }
    return slot;
  }
}
