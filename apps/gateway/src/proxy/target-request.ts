import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import type { UpstreamTarget } from '../upstream/upstream-pool.js';
import type { RequestBody } from './replay-buffer.js';

/** Methods for which Node does not chunk a body of unknown length by itself. */
const NOT_CHUNKED_BY_DEFAULT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

/** The path to request from `target`: its base path (static upstreams) followed by the route's path. */
export function targetPath(target: UpstreamTarget, upstreamPath: string): string {
  const base = target.basePath;
  if (base === '') return upstreamPath;
  return base.endsWith('/') ? base + upstreamPath.slice(1) : base + upstreamPath;
}

/** The consistent-hash key of `req`: the first of the policy's hash headers present, else the client IP. */
export function hashKeyOf(req: IncomingMessage, policy: ResolvedUpstreamPolicy, clientIp: string): string {
  for (const name of policy.hashHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return clientIp;
}

/**
 * Sets the framing of the body as it will be sent upstream (the client's `Transfer-Encoding` is hop-by-hop
 * and gone): `Content-Length` for a buffered body, `Transfer-Encoding: chunked` for a streamed body of
 * unknown length whose method Node would otherwise send without framing.
 */
export function frameBody(headers: OutgoingHttpHeaders, body: RequestBody, method: string): void {
  if (body.kind === 'buffered') {
    if (body.body.length > 0) headers['content-length'] = String(body.body.length);
  } else if (body.kind === 'streamed' && body.stream !== undefined && NOT_CHUNKED_BY_DEFAULT.has(method)) {
    headers['transfer-encoding'] = 'chunked';
  }
}
