/**
 * Serializes like Jason's default encoder (contract §1.3): no whitespace, raw UTF-8, `/` not escaped,
 * only `"`, `\` and control characters escaped, the latter as `\b \t \n \f \r` or `\u00XX` with
 * **uppercase** hex. `JSON.stringify` differs only in writing that hex in lowercase, so its output is
 * reused and just those escapes are rewritten (rare: only strings holding control characters).
 */
export function jasonStringify(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError(`${typeof value} is not JSON-serializable`);
  return json.includes('\\u') ? upperCaseUnicodeEscapes(json) : json;
}

function upperCaseUnicodeEscapes(json: string): string {
  let out = '';
  let from = 0;
  for (let i = json.indexOf('\\'); i !== -1 && i < json.length; i = json.indexOf('\\', i)) {
    if (json[i + 1] === 'u') {
      out += json.slice(from, i + 2) + json.slice(i + 2, i + 6).toUpperCase();
      from = i + 6;
      i += 6;
    } else {
      // An escaped backslash: skip both characters so `\\u00` is not taken for an escape.
      i += 2;
    }
  }
  return out + json.slice(from);
}
