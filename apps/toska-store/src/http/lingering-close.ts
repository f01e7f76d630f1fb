import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendParserError } from './respond.js';

/** How long, at most, an unread request body is drained after an early answer. */
export const LINGER_MS = 2_000;

/** How many unread body bytes are drained, at most, after an early answer. */
export const LINGER_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Answers before the request body was read (413 over the limit, 415) with `error` as the JSON body and
 * `connection: close`, then closes the connection *gracefully*: closing a socket that still has unread
 * request bytes makes the kernel reset it, and a client busy sending would then lose the answer. So the
 * rest of the body is read and thrown away (never buffered) for at most {@link LINGER_MS} and
 * {@link LINGER_MAX_BYTES}, like a web server's lingering close, and the socket is closed after that or
 * as soon as the client closes its side.
 */
export function answerEarlyAndClose(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: Record<string, unknown>,
): void {
  const socket = req.socket;
  let drained = 0;
  const close = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', close);
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > LINGER_MAX_BYTES) close();
  });
  req.resume();
  res.once('finish', () => {
    // Node ends the connection after a `connection: close` answer and destroys the socket once its
    // write side is done (`destroySoon`); keep only the end (FIN) and let the drain above do the closing.
    socket.removeListener('finish', socket.destroy);
  });
  sendParserError(res, status, error);
}
