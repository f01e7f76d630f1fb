import type { ServiceInstance } from '@toskamesh/common';

/** A single change to one instance. `index` grows with every change a provider observes. */
export interface RegistryEvent {
  type: 'register' | 'deregister' | 'health' | 'metadata';
  instance: ServiceInstance;
  index: number;
  /** Why an instance left: `'deregistered'` (asked to), `'expired'` (TTL lapsed). */
  reason?: 'deregistered' | 'expired';
}

/** The whole current state, sent first and after any gap the provider could not replay. */
export interface RegistrySnapshot {
  type: 'snapshot';
  instances: ServiceInstance[];
  index: number;
}

/** What {@link ServiceRegistry.watch} yields. */
export type RegistryChange = RegistryEvent | RegistrySnapshot;
