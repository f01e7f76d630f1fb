import type { Exchange } from './exchange.js';
import { decodeSegment } from './request-path.js';
import { sendJson } from './respond.js';

/**
 * The key addressed by `segment`, percent-decoded, or `undefined` after answering:
 * 400 `{"error":"Key must be valid UTF-8"}` when the decoded bytes are not UTF-8 (upstream crashed with
 * an empty 500), 414 `{"error":"Key too long","max_key_bytes":N}` past `maxKeyBytes` (in practice
 * upstream's Bandit answered 414 past its 10,000-byte request line).
 */
export function keyFromSegment(exchange: Exchange, segment: string, maxKeyBytes: number): string | undefined {
  const key = decodeSegment(segment);
  if (key === undefined) {
    sendJson(exchange.req, exchange.res, 400, { error: 'Key must be valid UTF-8' });
    return undefined;
  }
  if (key.length > maxKeyBytes / 3 && Buffer.byteLength(key, 'utf8') > maxKeyBytes) {
    sendJson(exchange.req, exchange.res, 414, { error: 'Key too long', max_key_bytes: maxKeyBytes });
    return undefined;
  }
  return key;
}
