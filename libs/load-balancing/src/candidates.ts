import type { ServiceInstance } from '@toskamesh/common';

/**
 * The instances a pick may choose from: `instances` minus the excluded ids, or all of `instances` when
 * that would leave none (retrying a tried instance is better than failing the request outright).
 */
export function withoutExcluded<T extends ServiceInstance>(
  instances: readonly T[],
  exclude: ReadonlySet<string> | undefined,
): readonly T[] {
  if (!exclude || exclude.size === 0) return instances;
  const remaining = instances.filter((instance) => !exclude.has(instance.serviceId));
  return remaining.length > 0 ? remaining : instances;
}
