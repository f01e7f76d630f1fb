import { KeyValueSerializationError } from '../errors/key-value-serialization.error.js';

/**
 * Serializes a value to JSON text for storage. Anything JSON would silently change or drop is refused
 * with {@link KeyValueSerializationError} instead: `undefined` as the value or in an array, functions,
 * symbols, BigInt, NaN/Infinity, Map/Set and cycles. (An `undefined` object property is left out, as
 * `JSON.stringify` does, so objects with optional fields still store.)
 */
export function encodeValue(key: string, value: unknown): string {
  if (value === undefined) throw new KeyValueSerializationError(key, 'is undefined');
  let text: string | undefined;
  try {
    text = JSON.stringify(value, function (this: unknown, name: string, item: unknown) {
      const problem = unsupported(item, Array.isArray(this));
      if (problem) throw new KeyValueSerializationError(key, `${problem}${where(name)}`);
      return item;
    });
  } catch (error) {
    if (error instanceof KeyValueSerializationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const problem = /circular/i.test(reason) ? 'contains a cycle' : `cannot be serialized (${reason})`;
    throw new KeyValueSerializationError(key, problem, error);
  }
  if (text === undefined) throw new KeyValueSerializationError(key, 'cannot be serialized');
  return text;
}

/** Parses stored JSON text; text that is not JSON is a {@link KeyValueSerializationError}. */
export function decodeValue<T>(key: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new KeyValueSerializationError(key, 'is stored as text that is not JSON', error);
  }
}

function unsupported(item: unknown, inArray: boolean): string | undefined {
  switch (typeof item) {
    case 'function':
      return 'contains a function';
    case 'symbol':
      return 'contains a symbol';
    case 'bigint':
      return 'contains a BigInt';
    case 'number':
      return Number.isFinite(item) ? undefined : `contains the number ${String(item)}`;
    case 'undefined':
      return inArray ? 'contains undefined in an array' : undefined;
    default:
      if (item instanceof Map) return 'contains a Map';
      if (item instanceof Set) return 'contains a Set';
      return undefined;
  }
}

function where(name: string): string {
  return name === '' ? '' : ` (at "${name}")`;
}
