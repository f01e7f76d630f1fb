import type { ServiceInstance } from '@toskamesh/common';

/**
 * The instances whose status is `Healthy`. Unlike the .NET router this never falls back to `Degraded`,
 * `Unhealthy` or `Unknown` instances when none is healthy: an empty result means "no upstream", which
 * the caller reports (503) instead of sending traffic to an instance known to be failing.
 */
export function healthyInstances<T extends ServiceInstance>(instances: readonly T[]): T[] {
  return instances.filter((instance) => instance.status === 'Healthy');
}
