import type { IncomingMessage } from 'node:http';

/** What reading a request body gave: its bytes, or why not. */
export type BodyRead = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

const EMPTY = Buffer.alloc(0);

/**
 * Reads the request body, but never more than `limit` bytes: a `content-length` over the limit is
 * refused before a byte is read, and a chunked body is cut off as soon as it passes the limit (the
 * caller answers 413 and closes the connection, so the rest is never buffered). `ready` runs once the
 * body is wanted (to send `100 Continue`).
 */
export function readBody(req: IncomingMessage, limit: number, ready?: () => void): Promise<BodyRead> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'too-large' });
  ready?.();
  if (req.readableEnded) return Promise.resolve({ kind: 'ok', bytes: EMPTY });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('aborted', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void =>
      finish({ kind: 'ok', bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('aborted', onAbort);
  });
}
