/**
 * JSON exactly as the original server's encoder (Elixir Jason 1.4, default `escape: :json`) writes it,
 * and the original's canonical form used for checksums. Checksums are SHA-256 over these bytes, so one
 * differing escape would make every record of a mixed leader/follower pair fail verification.
 */

/** A value that JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * A JSON string literal the way Jason writes it: only `"`, `\` and U+0000–U+001F are escaped (`\b \t \n
 * \f \r`, otherwise `\u00XX` with UPPERCASE hex); `/`, DEL and non-ASCII stay raw (`JSON.stringify`
 * differs: lowercase hex).
 */
export function encodeJsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x22 && code !== 0x5c) continue;
    const escape = SHORT_ESCAPES[code] ?? `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    out += text.slice(start, i) + escape;
    start = i + 1;
  }
  return `${out}${text.slice(start)}"`;
}

/**
 * Compact JSON like Jason: no whitespace, object keys in the order given. Integers are written plainly;
 * the original never stores other numbers (Jason would write `1.0` where this writes `1`).
 */
export function encodeJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return encodeJsonString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JSON cannot carry the number ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
      return `{${Object.entries(value)
        .map(([key, item]) => `${encodeJsonString(key)}:${encodeJson(item)}`)
        .join(',')}}`;
  }
}

/**
 * The original's `canonical_json/1`: a map becomes a JSON ARRAY of `[key, canonical(value)]` pairs
 * sorted by key byte-wise (UTF-8 order), a list is canonicalised element-wise, anything else is as is.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return encodeJson(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  return `[${Object.keys(value)
    .sort(compareUtf8)
    .map((key) => `[${encodeJsonString(key)},${canonicalJson(value[key]!)}]`)
    .join(',')}]`;
}

/**
 * Compares strings by their UTF-8 bytes, as Erlang sorts binaries. Plain `<` compares UTF-16 code units,
 * which puts U+E000–U+FFFF after astral characters (surrogates); UTF-8 puts them before.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
