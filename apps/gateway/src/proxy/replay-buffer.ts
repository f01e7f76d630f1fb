import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { BodyTooLargeError } from './errors/body-too-large.error.js';

/** How a request's body will be sent upstream. */
export type RequestBody =
  /** Fully in memory (an empty body too): can be sent again on a retry. */
  | { readonly kind: 'buffered'; readonly body: Buffer }
  /**
   * Streamed once, so not retriable. `stream` is what to send instead of the client request (a size-limited
   * view of a chunked body); absent means pipe the client request itself (its Content-Length is enforced by
   * Node's parser).
   */
  | { readonly kind: 'streamed'; readonly stream?: BodySizeLimit }
  /** Over `maxBodyBytes` (declared, or counted while buffering): answer 413. */
  | { readonly kind: 'too-large' }
  /** The client went away while the body was read. */
  | { readonly kind: 'aborted' };

/** Limits for {@link prepareRequestBody}. */
export interface BodyLimits {
  /** The request may be retried, so keep its body if it fits in `replayBufferBytes`. */
  readonly replayable: boolean;
  readonly replayBufferBytes: number;
  readonly maxBodyBytes: number;
}

const EMPTY = Buffer.alloc(0);
const NO_BODY: RequestBody = Object.freeze({ kind: 'buffered', body: EMPTY });
const STREAM_CLIENT: RequestBody = Object.freeze({ kind: 'streamed' });
const TOO_LARGE: RequestBody = Object.freeze({ kind: 'too-large' });
const ABORTED: RequestBody = Object.freeze({ kind: 'aborted' });

/**
 * Decides how `req`'s body goes upstream, reading it only when a retry may need to replay it:
 * - no body -> `buffered` empty, at once (the hot path: no promise, no listener);
 * - Content-Length over `maxBodyBytes` -> `too-large`, at once, nothing read;
 * - not replayable, or Content-Length over `replayBufferBytes` -> `streamed`, nothing read;
 * - replayable with a known small length -> read fully -> `buffered`;
 * - replayable and chunked -> read up to `replayBufferBytes`: the whole body -> `buffered`; more -> the
 *   prefix read so far is pushed back into `req` and the body is `streamed` (no retry).
 * A chunked body that is streamed is counted through a {@link BodySizeLimit}.
 */
export function prepareRequestBody(
  req: IncomingMessage,
  limits: BodyLimits,
): RequestBody | Promise<RequestBody> {
  const headers = req.headers;
  const chunked = headers['transfer-encoding'] !== undefined;
  if (!chunked) {
    const declared = headers['content-length'];
    if (declared === undefined) return NO_BODY;
    const length = Number(declared);
    if (length === 0) return NO_BODY;
    if (length > limits.maxBodyBytes) return TOO_LARGE;
    if (!limits.replayable || length > limits.replayBufferBytes) return STREAM_CLIENT;
    return readBody(req, limits.replayBufferBytes, limits.maxBodyBytes);
  }
  if (!limits.replayable) return streamLimited(req, limits.maxBodyBytes);
  return readBody(req, limits.replayBufferBytes, limits.maxBodyBytes);
}

/** True when `value` is a pending {@link prepareRequestBody} result. */
export function isPendingBody(value: RequestBody | Promise<RequestBody>): value is Promise<RequestBody> {
  return value instanceof Promise;
}

function streamLimited(req: IncomingMessage, maxBodyBytes: number): RequestBody {
  const stream = new BodySizeLimit(maxBodyBytes);
  // It may fail before an engine reads it; `exceeded` carries the news, the listener keeps the process up.
  stream.on('error', ignoreError);
  req.pipe(stream);
  return { kind: 'streamed', stream };
}

function ignoreError(): void {}

/** Reads up to `keepBytes` of `req`; see {@link prepareRequestBody}. */
function readBody(req: IncomingMessage, keepBytes: number, maxBodyBytes: number): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: RequestBody): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onGone);
      req.removeListener('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= keepBytes && size <= maxBodyBytes) return;
      req.pause();
      if (size > maxBodyBytes) return done(TOO_LARGE);
      // Too big to keep: give the prefix back to the stream and send the whole body once.
      req.unshift(Buffer.concat(chunks, size));
      done(streamLimited(req, maxBodyBytes));
    };
    const onEnd = (): void =>
      done({ kind: 'buffered', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onGone = (): void => done(ABORTED);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onGone);
    req.once('close', onGone);
  });
}

/**
 * Passes a request body through, counting bytes; past `maxBytes` it fails with {@link BodyTooLargeError}
 * (the engine then calls off the upstream request) and remembers it in `exceeded`.
 */
export class BodySizeLimit extends Transform {
  private received = 0;
  /** True once the body went past the limit. */
  exceeded = false;

  constructor(readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.exceeded = true;
      callback(new BodyTooLargeError(this.maxBytes));
      return;
    }
    callback(null, chunk);
  }
}
