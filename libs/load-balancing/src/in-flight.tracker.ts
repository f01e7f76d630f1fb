import { Injectable } from '@nestjs/common';

/**
 * Counts requests in flight per service id; least-connections and power-of-two-choices read it. Wrap
 * each upstream call: `const release = tracker.acquire(instance.serviceId)` before sending, `release()`
 * when the response ends or fails. Ids drop out of the map at zero, so churned instances leave nothing
 * behind.
 */
@Injectable()
export class InFlightTracker {
  private readonly counts = new Map<string, number>();

  /** Counts one more request on `serviceId`; the returned release is idempotent. */
  acquire(serviceId: string): () => void {
    this.counts.set(serviceId, (this.counts.get(serviceId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(serviceId) ?? 1) - 1;
      if (left > 0) this.counts.set(serviceId, left);
      else this.counts.delete(serviceId);
    };
  }

  /** Requests currently in flight on `serviceId` (0 for an unknown id). */
  count(serviceId: string): number {
    return this.counts.get(serviceId) ?? 0;
  }

  /** How many service ids have at least one request in flight. */
  get size(): number {
    return this.counts.size;
  }
}
