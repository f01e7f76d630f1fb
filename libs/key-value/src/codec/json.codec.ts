import { KeyValueSerializationError } from '../errors/key-value-serialization.error.js';

/**
 * Serializes a value to JSON text for storage. Anything JSON would silently change or drop is refused
 * with {@link KeyValueSerializationError} instead: `undefined` as the value or in an array, functions,
 * symbols, BigInt, NaN/Infinity, Map/Set and cycles. (An `undefined` object property is left out, as
 * `JSON.stringify` does, so objects with optional fields still store.)
 */
export function encodeValue(key: string, value: unknown): string {
  // Scalars are the common case and cannot hide anything JSON would change: no walk needed.
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      break;
    case 'undefined':
      throw new KeyValueSerializationError(key, 'is undefined');
    default:
      if (value === null) return 'null';
  }
  // Checking in a separate walk keeps JSON.stringify on V8's fast path, which a replacer function disables.
  const problem = findProblem(value, '', false, []);
  if (problem === CYCLE) throw cycleError(key, value);
  if (problem) throw new KeyValueSerializationError(key, problem);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KeyValueSerializationError(key, `cannot be serialized (${reason})`, error);
  }
  if (text === undefined) throw new KeyValueSerializationError(key, 'cannot be serialized');
  return text;
}

const CYCLE = 'contains a cycle';

/**
 * What JSON.stringify would silently change in `value`, seen the way it sees it (after `toJSON`), or
 * `undefined`. `ancestors` holds the objects on the current path, so a cycle is found, not recursed into.
 */
function findProblem(
  value: unknown,
  name: string,
  inArray: boolean,
  ancestors: object[],
): string | undefined {
  let item = value;
  if (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { toJSON?: unknown }).toJSON === 'function'
  ) {
    item = (item as { toJSON: (key: string) => unknown }).toJSON(name);
  }
  const problem = unsupported(item, inArray);
  if (problem) return `${problem}${where(name)}`;
  if (typeof item !== 'object' || item === null) return undefined;
  if (ancestors.includes(item)) return CYCLE;
  ancestors.push(item);
  try {
    if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index += 1) {
        const found = findProblem(item[index], String(index), true, ancestors);
        if (found) return found;
      }
      return undefined;
    }
    for (const property of Object.keys(item)) {
      const found = findProblem((item as Record<string, unknown>)[property], property, false, ancestors);
      if (found) return found;
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}

/** The cycle error, with JSON.stringify's own TypeError as its cause. */
function cycleError(key: string, value: unknown): KeyValueSerializationError {
  try {
    JSON.stringify(value);
  } catch (error) {
    return new KeyValueSerializationError(key, CYCLE, error);
  }
  return new KeyValueSerializationError(key, CYCLE);
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
