import { MeshValidationError, metadataProblems } from '@toskamesh/common';

/**
 * Merges `update` into `current`. Keys compare case-insensitively (the .NET original used an
 * OrdinalIgnoreCase dictionary): an existing key differing only in case is replaced by the new one.
 */
export function mergeMetadata(
  current: Readonly<Record<string, string>>,
  update: Readonly<Record<string, string>>,
): Record<string, string> {
  const updatedKeys = new Set(Object.keys(update).map((key) => key.toLowerCase()));
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(current)) {
    if (!updatedKeys.has(key.toLowerCase())) merged[key] = value;
  }
  return Object.assign(merged, update);
}

/**
 * Validates a metadata update and the merged result against the contract limits and returns the
 * merged metadata; throws {@link MeshValidationError} listing every broken rule.
 */
export function checkedMetadataMerge(
  current: Readonly<Record<string, string>>,
  update: unknown,
): Record<string, string> {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    throw new MeshValidationError('metadata update', ['metadata must be an object of strings']);
  }
  const updateProblems = metadataProblems(update);
  if (updateProblems.length) throw new MeshValidationError('metadata update', updateProblems);
  const merged = mergeMetadata(current, update as Record<string, string>);
  const mergedProblems = metadataProblems(merged);
  if (mergedProblems.length) {
    throw new MeshValidationError(
      'metadata update',
      mergedProblems.map((problem) => `after merging, ${problem}`),
    );
  }
  return merged;
}
