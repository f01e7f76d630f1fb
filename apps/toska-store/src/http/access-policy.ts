import type { AuthGroup } from '../auth/token-authenticator.js';
import { decodeSegment } from './request-path.js';

/**
 * Which token protects a request, if any (contract §5). Upstream decided on the raw path: it starts with
 * `/kv` (so `/kvx` too) or `/replication`, or is exactly `/stats`. The port keeps that and also protects
 * every path that *routes* to a protected handler, since upstream's rule let `//kv//k`, `/stats/` and
 * `/%6Bv/k` reach the store without a token (routing drops empty segments and decodes escapes).
 */
export function protectionOf(rawPath: string, segments: readonly string[]): AuthGroup | undefined {
  const first = segments.length === 0 ? '' : firstSegment(segments[0]!);
  if (rawPath.startsWith('/replication') || first === 'replication') return 'replication';
  if (rawPath.startsWith('/kv') || rawPath === '/stats' || first === 'kv' || first === 'stats') return 'kv';
  return undefined;
}

/**
 * A write refused by a read-only follower: `PUT`/`DELETE` on a path under `/kv/` (upstream's raw-path
 * rule), or one that routes to a key under `kv` (closing the same `//kv//k` gap as above).
 */
export function isKvWrite(method: string, rawPath: string, segments: readonly string[]): boolean {
  if (method !== 'PUT' && method !== 'DELETE') return false;
  return rawPath.startsWith('/kv/') || (segments.length > 0 && firstSegment(segments[0]!) === 'kv');
}

function firstSegment(segment: string): string | undefined {
  return segment.length > 33 ? undefined : decodeSegment(segment);
}
