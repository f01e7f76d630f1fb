/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1, plus the RFC 2616 ones proxies still meet): they describe one
 * connection and must not be forwarded. Lower case, as `IncomingMessage.headers` keys are.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function sameName(name: string, lower: string): boolean {
  return name === lower || name.toLowerCase() === lower;
}

/**
 * True for a hop-by-hop field name in any letter case (raw header names keep the sender's case). Switches on
 * the length first so the common end-to-end names cost one comparison and no lower-casing.
 */
export function isHopByHopName(name: string): boolean {
  switch (name.length) {
    case 2:
      return sameName(name, 'te');
    case 7:
      return sameName(name, 'trailer') || sameName(name, 'upgrade');
    case 10:
      return sameName(name, 'connection') || sameName(name, 'keep-alive');
    case 16:
      return sameName(name, 'proxy-connection');
    case 17:
      return sameName(name, 'transfer-encoding');
    case 18:
      return sameName(name, 'proxy-authenticate');
    case 19:
      return sameName(name, 'proxy-authorization');
    default:
      return false;
  }
}

/** True when `name` (any case) is `connection`. */
export function isConnectionName(name: string): boolean {
  return name.length === 10 && sameName(name, 'connection');
}

/**
 * The lower-case field names a `Connection` header lists (which are hop-by-hop too), or `undefined` when it
 * lists none besides `keep-alive` / `close` — the usual case, answered without splitting.
 */
export function connectionTokens(
  value: string | readonly string[] | undefined,
  into?: Set<string>,
): Set<string> | undefined {
  if (value === undefined) return into;
  if (typeof value !== 'string') {
    let tokens = into;
    for (const part of value) tokens = connectionTokens(part, tokens);
    return tokens;
  }
  if (value.length <= 10) {
    const lower = value.toLowerCase();
    if (lower === 'keep-alive' || lower === 'close' || lower === '') return into;
  }
  let tokens = into;
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token === '' || token === 'keep-alive' || token === 'close') continue;
    (tokens ??= new Set()).add(token);
  }
  return tokens;
}
