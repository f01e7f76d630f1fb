import type { ServiceInstance } from '@toskamesh/common';

/**
 * Where service pools read their targets from (the routing `ServiceCatalog` implements it). Pools call
 * it on every pick, so it must be a cheap lookup.
 */
export interface InstanceSource {
  /**
   * The Healthy instances of `service` (name matched case-insensitively). The same array object is
   * returned until the set changes, which lets a pool skip re-syncing by comparing references.
   * `undefined` when the service is not known at all; `[]` when it is known but nothing is healthy.
   */
  instances(service: string): readonly ServiceInstance[] | undefined;
}
