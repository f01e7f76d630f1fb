import type { ServiceInstance } from '@toskamesh/common';

/** One metadata key across a service's instances. */
export interface MetadataKeySummary {
  key: string;
  instanceCount: number;
  values: string[];
}

/** The contract's `ServiceMetadataSummary`. */
export interface ServiceMetadataSummary {
  serviceName: string;
  instanceCount: number;
  generatedAt: string;
  keys: MetadataKeySummary[];
}

/**
 * Summarises the metadata of a service's instances as the .NET original did: keys grouped
 * case-insensitively (first spelling seen wins), each with how many instances carry it and its distinct
 * values (compared case-insensitively), keys and values sorted.
 */
export function summarizeMetadata(
  serviceName: string,
  instances: readonly ServiceInstance[],
): ServiceMetadataSummary {
  const keys = new Map<string, { key: string; instanceCount: number; values: Map<string, string> }>();
  for (const instance of instances) {
    for (const [key, value] of Object.entries(instance.metadata)) {
      const folded = key.toLowerCase();
      const entry = keys.get(folded) ?? { key, instanceCount: 0, values: new Map<string, string>() };
      entry.instanceCount += 1;
      if (!entry.values.has(value.toLowerCase())) entry.values.set(value.toLowerCase(), value);
      keys.set(folded, entry);
    }
  }
  return {
    serviceName,
    instanceCount: instances.length,
    generatedAt: new Date().toISOString(),
    keys: [...keys.values()]
      .map((entry) => ({
        key: entry.key,
        instanceCount: entry.instanceCount,
        values: [...entry.values.values()].sort(),
      }))
      .sort((a, b) => (a.key.toLowerCase() < b.key.toLowerCase() ? -1 : 1)),
  };
}
