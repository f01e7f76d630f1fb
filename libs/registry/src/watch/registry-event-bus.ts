import type { RegistryEvent } from '../registry-change.js';

/** Receives every change of an in-process registry. */
export type RegistryEventListener = (event: RegistryEvent) => void;

/** In-process fan-out of registry events to watchers. A failing listener cannot starve the others. */
export class RegistryEventBus {
  private readonly listeners = new Set<RegistryEventListener>();

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: RegistryEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener with `event`, returning the errors they threw. */
  publish(event: RegistryEvent): unknown[] {
    const errors: unknown[] = [];
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  /** Number of listeners (for diagnostics and tests). */
  get size(): number {
    return this.listeners.size;
  }
}
