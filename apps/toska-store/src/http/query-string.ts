const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A query parameter given in Plug's nested form (`prefix[]=a`, `prefix[x]=y`): never a plain string. */
export const NESTED_PARAM: unique symbol = Symbol('nested query parameter');

/** Decoded query parameters: the last plain value per name, or {@link NESTED_PARAM}. */
export type QueryParams = Map<string, string | typeof NESTED_PARAM>;

/**
 * Parses a query string like `Plug.Conn.Query.decode/1`: pairs split on `&`, `+` is a space, escapes
 * decoded leniently (a malformed one stays literally), a pair without `=` has the value `""`, the last
 * value of a name wins, and a name with brackets is a list or map rather than a string.
 * `undefined` when a name or value is not valid UTF-8 (Plug raised `InvalidQueryError`, a 400).
 */
export function parseQuery(query: string): QueryParams | undefined {
  const params: QueryParams = new Map();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    const bracket = name.indexOf('[');
    if (bracket > 0) params.set(name.slice(0, bracket), NESTED_PARAM);
    else params.set(name, value);
  }
  return params;
}

function decodeFormComponent(text: string): string | undefined {
  if (!/[%+\u0080-\u00ff]/.test(text)) return text;
  const bytes = Buffer.allocUnsafe(text.length * 3);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 43) {
      bytes[length++] = 32;
    } else if (code === 37 && i + 2 < text.length && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes[length++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else if (code > 0xff) {
      length += bytes.write(text[i]!, length, 'utf8');
    } else {
      bytes[length++] = code;
    }
  }
  try {
    return utf8.decode(bytes.subarray(0, length));
  } catch {
    return undefined;
  }
}
