import { elixirToString } from './elixir-to-string.js';
import { numberSources } from './json-body.js';

/** The `keys` of an mget: each rendered key and whether it is looked up, or a 400 message. */
export type MgetKeys =
  { ok: true; entries: Map<string, boolean>; lookups: string[] } | { ok: false; error: string };

/**
 * Interprets mget's `keys` like upstream: not an array gives "Keys must be a list"; string entries are
 * looked up; other scalars are never looked up and answer `null` under their Elixir `to_string`
 * rendering (`5`, `true`, `nil`, `1.5`); duplicates collapse, the last one winning. An object or array
 * entry crashed upstream's encoder (an empty 500); the port answers 400 instead.
 */
export function mgetKeys(keys: unknown, bodyBytes: Buffer | undefined): MgetKeys {
  if (!Array.isArray(keys)) return { ok: false, error: 'Keys must be a list' };
  const entries = new Map<string, boolean>();
  const lookups: string[] = [];
  let sources: Map<string, string> | undefined;
  for (let index = 0; index < keys.length; index++) {
    const key: unknown = keys[index];
    if (typeof key === 'string') {
      entries.delete(key);
      entries.set(key, true);
      lookups.push(key);
    } else if (key === null || typeof key === 'boolean' || typeof key === 'number') {
      if (typeof key === 'number' && sources === undefined) sources = keySources(bodyBytes);
      const rendered = elixirToString(key, sources?.get(String(index)));
      entries.delete(rendered);
      entries.set(rendered, false);
    } else {
      return { ok: false, error: 'Keys must be strings or scalars, not objects or arrays' };
    }
  }
  return { ok: true, entries, lookups };
}

function keySources(bodyBytes: Buffer | undefined): Map<string, string> {
  if (bodyBytes === undefined) return new Map();
  const { root, sources } = numberSources(bodyBytes.toString('utf8'));
  const keys = typeof root === 'object' && root !== null ? (root as Record<string, unknown>).keys : undefined;
  return (typeof keys === 'object' && keys !== null ? sources.get(keys) : undefined) ?? new Map();
}
