const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NEEDS_DECODING = /[%\u0080-\u00ff]/;

/**
 * Splits the raw request path (no query) on `/`, dropping empty segments, like Plug's `path_info`:
 * `/kv/k/`, `//kv//k` and `/kv/k` all give `['kv', 'k']`. Segments stay percent-encoded.
 */
export function splitPath(rawPath: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (let i = 0; i <= rawPath.length; i++) {
    if (i === rawPath.length || rawPath.charCodeAt(i) === 47) {
      if (i > start) segments.push(rawPath.slice(start, i));
      start = i + 1;
    }
  }
  return segments;
}

/**
 * Percent-decodes one path segment like Elixir's `URI.decode/1` (what Plug.Router applies): every `%XX`
 * with two hex digits becomes that byte, a malformed escape (`%zz`, a trailing `%`) stays literally,
 * and `+` stays a plus. The bytes must then be valid UTF-8: `undefined` when they are not (the original
 * crashed its JSON encoder with a 500 on such keys; the port answers 400 instead).
 *
 * Node hands over the raw URL as latin1, so characters U+0080..U+00FF here are raw UTF-8 bytes.
 */
export function decodeSegment(segment: string): string | undefined {
  if (!NEEDS_DECODING.test(segment)) return segment;
  const bytes = Buffer.allocUnsafe(segment.length);
  let length = 0;
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (code === 37 && i + 2 < segment.length && isHex(segment, i + 1) && isHex(segment, i + 2)) {
      bytes[length++] = parseInt(segment.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      // Above 0xff cannot come from Node's latin1 URL; keep it as UTF-8 rather than truncating it.
      if (code > 0xff) return decodeSegment(Buffer.from(segment, 'utf8').toString('latin1'));
      bytes[length++] = code;
    }
  }
  try {
    return utf8.decode(bytes.subarray(0, length));
  } catch {
    return undefined;
  }
}

function isHex(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}
