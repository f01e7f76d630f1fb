import type { ServerResponse } from 'node:http';
import type { UpstreamResponse } from './forwarding-engine.js';
import { clientResponseHeaders } from './upstream-headers.js';

/**
 * Writes the upstream's status line and headers (hop-by-hop removed, duplicates such as `set-cookie` and
 * order kept) to the client. With no header set on `res` yet, the raw pairs go to `writeHead` as one array —
 * Node's fast path, no per-header `setHeader`. Headers the gateway already set (CORS, rate limit) win over
 * the upstream's of the same name; the rest are grouped per name so `setHeader` keeps every duplicate.
 * Throws what `writeHead` throws (a value Node refuses); `res` then carries no upstream header.
 */
export function writeUpstreamHead(res: ServerResponse, upstream: UpstreamResponse): void {
  const pairs = clientResponseHeaders(upstream.rawHeaders);
  const status = upstream.status;
  const message = upstream.statusMessage;
  const preset = res.getHeaderNames();
  if (preset.length === 0) {
    if (message) res.writeHead(status, message, pairs);
    else res.writeHead(status, pairs);
    return;
  }
  const gatewayOwned = new Set(preset);
  try {
    for (const [name, values] of groupedByName(pairs, gatewayOwned)) {
      res.setHeader(name, values.length === 1 ? values[0]! : values);
    }
    if (message) res.writeHead(status, message);
    else res.writeHead(status);
  } catch (error) {
    for (const name of res.getHeaderNames()) if (!gatewayOwned.has(name)) res.removeHeader(name);
    throw error;
  }
}

function groupedByName(pairs: readonly string[], skip: ReadonlySet<string>): Map<string, string[]> {
  const byLowerName = new Map<string, { name: string; values: string[] }>();
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!;
    const lower = name.toLowerCase();
    if (skip.has(lower)) continue;
    const entry = byLowerName.get(lower);
    if (entry === undefined) byLowerName.set(lower, { name, values: [pairs[i + 1]!] });
    else entry.values.push(pairs[i + 1]!);
  }
  return new Map([...byLowerName.values()].map(({ name, values }) => [name, values]));
}
