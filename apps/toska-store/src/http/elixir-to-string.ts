/**
 * `to_string/1` of a decoded JSON scalar, as the original rendered non-string `keys` entries of mget
 * (`5` -> `"5"`, `true` -> `"true"`, `null` -> `"nil"`, `1.5` -> `"1.5"`, `1e3` -> `"1.0e3"`).
 * `source` is the number's JSON text: Jason decodes `1` as an integer and `1.0` as a float, which
 * `JSON.parse` alone cannot tell apart.
 */
export function elixirToString(value: null | boolean | number, source?: string): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (source !== undefined && /^-?\d+$/.test(source)) return BigInt(source).toString();
  return elixirFloatToString(value);
}

/**
 * Erlang's shortest float formatting (`io_lib_format:fwrite_g/1`, used by Elixir's `Float.to_string/1`):
 * the shortest round-trip digits, written plainly or in `d.ddde<exp>` form, whichever is shorter.
 */
export function elixirFloatToString(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const length = digits.length;
  const exp = Number(exponent);
  const place = exp - length + 1;
  const expText = String(exp);
  const expCost = expText.length + 2;
  let text: string;
  if (place < 0) {
    if (exp >= 0) text = `${digits.slice(0, length + place)}.${digits.slice(length + place)}`;
    else if (2 - place - length <= expCost) text = `0.${'0'.repeat(-place - length)}${digits}`;
    else text = withExponent(digits, expText);
  } else {
    const dot = length === 1 ? 1 : 0;
    text =
      expCost + dot >= place + 2 && Math.abs(value) < 2 ** 53
        ? `${digits}${'0'.repeat(place)}.0`
        : withExponent(digits, expText);
  }
  return sign + text;
}

function withExponent(digits: string, exponent: string): string {
  return digits.length === 1 ? `${digits}.0e${exponent}` : `${digits[0]}.${digits.slice(1)}e${exponent}`;
}
