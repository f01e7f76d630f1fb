import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { jasonStringify } from './jason-json.js';

/** Content type of every handler-produced JSON answer. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Bodies shorter than this are sent uncompressed even when the client accepts gzip: not worth the CPU. */
export const GZIP_MIN_BYTES = 1024;

/**
 * Whether the client accepts gzip (`accept-encoding: gzip`, not `gzip;q=0`). The original (Bandit
 * `compress: true`) also offered deflate; the port answers gzip or identity.
 */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (header === undefined || !header.includes('gzip')) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((item) => item.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Sends `value` as Jason-compatible JSON. */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: readonly string[] = [],
): void {
  sendBody(req, res, status, JSON_TYPE, jasonStringify(value), headers);
}

/**
 * Sends a text or byte body with `content-length`, gzip-compressed when the client accepts it and the
 * body is large enough. `vary: accept-encoding` goes on every such answer, as Bandit did.
 */
export function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: readonly string[] = [],
): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (length < GZIP_MIN_BYTES || !acceptsGzip(req)) {
    res.writeHead(status, [
      'content-type',
      contentType,
      'content-length',
      String(length),
      'vary',
      'accept-encoding',
      ...headers,
    ]);
    // A string body goes out in one write together with the head (Node joins them); a Buffer would not.
    res.end(body);
    return;
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  gzip(bytes, (error, zipped) => {
    if (res.destroyed) return;
    if (error) {
      res.destroy(error);
      return;
    }
    res.writeHead(status, [
      'content-type',
      contentType,
      'content-length',
      String(zipped.length),
      'content-encoding',
      'gzip',
      'vary',
      'accept-encoding',
      ...headers,
    ]);
    res.end(zipped);
  });
}

/**
 * A body-parser error (400 malformed JSON, 413, 415): a JSON `{"error", ...}` saying what was wrong, and
 * `connection: close`, since the rest of the request may still be unread. Bandit answered these with no
 * body at all (contract §1.1, §12.1); the status codes and the closing are kept, the silence is not.
 */
export function sendParserError(res: ServerResponse, status: number, value: Record<string, unknown>): void {
  const body = jasonStringify(value);
  res.shouldKeepAlive = false;
  res.writeHead(status, [
    'content-type',
    JSON_TYPE,
    'content-length',
    String(Buffer.byteLength(body, 'utf8')),
    'connection',
    'close',
  ]);
  res.end(body);
}
