import { isUtf8 } from 'node:buffer';

/** A parsed request body: a JSON object's fields, or `{ _json: value }` for any other JSON value. */
export type JsonBody = Record<string, unknown>;

/** JSON texts of the numbers found under each object or array (holder -> key -> source). */
export type NumberSources = WeakMap<object, Map<string, string>>;

type SourceReviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/**
 * Decodes a JSON body like Plug.Parsers with Jason: an empty body is `{}`, an object gives its fields,
 * any other value is wrapped as `{"_json": value}`. `undefined` for malformed JSON, bytes that are not
 * UTF-8, or strings holding lone surrogates (`"\ud800"`), which Jason refuses and which could not be
 * written back as UTF-8.
 */
export function parseJsonBody(bytes: Buffer): JsonBody | undefined {
  if (bytes.length === 0) return {};
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (text.includes('\\u') && !wellFormed(value)) return undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonBody)
    : { _json: value };
}

/**
 * The JSON source text of every number in `text` (which must be valid JSON), by holder and key, using
 * `JSON.parse` source text access. Needed only where Jason's integer/float distinction matters
 * (`ttl_ms`, non-string mget keys), so it is a second, rare parse rather than a cost on every request.
 */
export function numberSources(text: string): { root: unknown; sources: NumberSources } {
  const sources: NumberSources = new WeakMap();
  const reviver: SourceReviver = function (key, value, context) {
    if (typeof value === 'number' && context?.source !== undefined && typeof this === 'object' && this) {
      let byKey = sources.get(this);
      if (!byKey) sources.set(this, (byKey = new Map()));
      byKey.set(key, context.source);
    }
    return value;
  };
  const root: unknown = JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
  return { root, sources };
}

/** `String.prototype.isWellFormed` (ES2024; the project's `lib` is ES2023). */
function isWellFormedString(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function wellFormed(value: unknown): boolean {
  if (typeof value === 'string') return isWellFormedString(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(wellFormed);
  return Object.entries(value).every(([key, item]) => isWellFormedString(key) && wellFormed(item));
}
