import type { RegistryEvent } from '@toskamesh/registry';

/**
 * The last `capacity` registry events, for clients resuming a watch from an index. The ring is
 * complete after `baseIndex`: every event with a greater index is in it, so a client that saw
 * `baseIndex` or later can be replayed; an older client needs a snapshot instead.
 */
export class EventRing {
  private readonly slots: (RegistryEvent | undefined)[];
  private start = 0;
  private count = 0;
  private base: number;

  constructor(
    private readonly capacity: number,
    baseIndex = 0,
  ) {
    this.slots = new Array<RegistryEvent | undefined>(capacity);
    this.base = baseIndex;
  }

  /** The index after which the ring is complete. */
  get baseIndex(): number {
    return this.base;
  }

  /** Events held. */
  get size(): number {
    return this.count;
  }

  /** Appends `event`, evicting the oldest (and moving `baseIndex` to it) when full. */
  push(event: RegistryEvent): void {
    if (this.count === this.capacity) {
      this.base = this.slots[this.start]!.index;
      this.slots[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.slots[(this.start + this.count) % this.capacity] = event;
    this.count += 1;
  }

  /** Forgets everything: after a gap the ring is only complete from `baseIndex` on. */
  reset(baseIndex: number): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.base = baseIndex;
  }

  /** Events after `index`, oldest first; `undefined` when some of them are no longer held. */
  since(index: number): RegistryEvent[] | undefined {
    if (index < this.base) return undefined;
    const events: RegistryEvent[] = [];
    for (let offset = 0; offset < this.count; offset += 1) {
      const event = this.slots[(this.start + offset) % this.capacity]!;
      if (event.index > index) events.push(event);
    }
    return events;
  }
}
