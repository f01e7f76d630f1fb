import type { ServiceInstance } from '@toskamesh/common';
import type { RegistryEvent } from '../../registry-change.js';
import { ttlCheckId } from './consul-check.definition.js';
import { fromHealthEntry } from './consul-instance.mapper.js';
import type { ConsulHealthEntry } from './consul.types.js';

/** What a watch remembers of one instance between two answers. */
export interface TrackedInstance {
  instance: ServiceInstance;
  /** Its TTL lapsed (Consul marks the check "TTL expired"): a removal that follows is an expiry. */
  lapsed: boolean;
}

/** The instances of one service, by id. */
export type ServiceState = Map<string, TrackedInstance>;

/** Instances of a health answer, keyed by id; `lastHeartbeat` supplies what this process saw. */
export function trackEntries(
  entries: readonly ConsulHealthEntry[],
  lastHeartbeat: (serviceId: string) => Date | null,
): ServiceState {
  const state: ServiceState = new Map();
  for (const entry of entries) {
    const instance = fromHealthEntry(entry, lastHeartbeat(entry.Service.ID));
    const ttl = (entry.Checks ?? []).find((check) => check.CheckID === ttlCheckId(entry.Service.ID));
    state.set(instance.serviceId, { instance, lapsed: ttl?.Output?.startsWith('TTL expired') === true });
  }
  return state;
}

function sameEndpoint(a: ServiceInstance, b: ServiceInstance): boolean {
  return a.address === b.address && a.port === b.port && a.scheme === b.scheme;
}

function sameDescription(a: ServiceInstance, b: ServiceInstance): boolean {
  const shape = (instance: ServiceInstance) =>
    JSON.stringify([Object.entries(instance.metadata).sort(), instance.tags, instance.healthCheck ?? null]);
  return shape(a) === shape(b);
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The events that turn `previous` into `next`: removals first (`expired` when the TTL had lapsed), then
 * per instance `register` (new, or a new address/port/scheme: a re-registration), `metadata`
 * (metadata, tags or health-check settings) and `health` (status). `index` numbers each event.
 */
export function diffStates(previous: ServiceState, next: ServiceState, index: () => number): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  for (const id of [...previous.keys()].sort(byId)) {
    if (next.has(id)) continue;
    const gone = previous.get(id)!;
    events.push({
      type: 'deregister',
      instance: gone.instance,
      index: index(),
      reason: gone.lapsed ? 'expired' : 'deregistered',
    });
  }
  for (const id of [...next.keys()].sort(byId)) {
    const { instance } = next.get(id)!;
    const before = previous.get(id)?.instance;
    if (!before || !sameEndpoint(before, instance)) {
      events.push({ type: 'register', instance, index: index() });
      continue;
    }
    if (!sameDescription(before, instance)) events.push({ type: 'metadata', instance, index: index() });
    if (before.status !== instance.status) events.push({ type: 'health', instance, index: index() });
  }
  return events;
}

/** All instances of several services, sorted by service name then id (a snapshot's order). */
export function snapshotInstances(states: Iterable<ServiceState>): ServiceInstance[] {
  return [...states]
    .flatMap((state) => [...state.values()].map((tracked) => tracked.instance))
    .sort((a, b) => byId(a.serviceName, b.serviceName) || byId(a.serviceId, b.serviceId));
}
