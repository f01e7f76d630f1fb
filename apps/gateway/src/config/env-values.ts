import { MeshConfigError, configList, definedFields, treeValue, type ConfigTree } from '@toskamesh/common';

/**
 * A list from configuration: a comma-separated string (`A,B`) or ASP.NET's indexed form
 * (`Key__0=A`, `Key__1=B`), in index order.
 */
export function treeList(tree: ConfigTree, key: string): string[] | undefined {
  const node = tree[key.toLowerCase()];
  if (typeof node === 'string') return configList(node);
  if (node === undefined) return undefined;
  return indexedEntries(node).flatMap(([, value]) =>
    typeof value === 'string' ? (configList(value) ?? []) : [],
  );
}

/** The children of an ASP.NET array section (`0`, `1`, ...), in index order. */
export function indexedEntries(tree: ConfigTree): [number, string | ConfigTree][] {
  return Object.entries(tree)
    .filter(([index]) => /^\d+$/.test(index))
    .map(([index, value]): [number, string | ConfigTree] => [Number(index), value])
    .sort(([a], [b]) => a - b);
}

/** A finite number (`0.5`), or undefined when unset; throws {@link MeshConfigError} naming `key`. */
export function configNumber(key: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.trim());
  if (!Number.isFinite(value)) {
    throw new MeshConfigError(key, 'must be a number', { value: raw, allowed: 'e.g. 0.5' });
  }
  return value;
}

/** A list of whole numbers (`502,503`), or undefined when unset. */
export function configIntList(key: string, tree: ConfigTree, name: string): number[] | undefined {
  return treeList(tree, name)?.map((item) => {
    const value = Number(item);
    if (!Number.isSafeInteger(value)) {
      throw new MeshConfigError(key, 'must be a list of whole numbers', {
        value: item,
        allowed: 'e.g. 502,503',
      });
    }
    return value;
  });
}

/** The trimmed string at `key`, undefined when unset or blank. */
export function treeText(tree: ConfigTree, ...keys: string[]): string | undefined {
  const value = treeValue(tree, ...keys)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `value` without its undefined fields, undefined when nothing is left (so merges skip it). */
export function pruned<T extends object>(value: T): T | undefined {
  const fields = definedFields(value);
  return Object.keys(fields).length ? fields : undefined;
}
