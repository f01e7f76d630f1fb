import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayProblem } from '../http/problem.js';

/**
 * Writes `problem` as a complete HTTP/1.1 response straight onto `socket` and closes it: for answers
 * given where no `ServerResponse` exists (a parse error in `clientError`, a refused `Upgrade`).
 * Does nothing when the socket can no longer be written.
 */
export function writeRawProblem(
  socket: Duplex,
  problem: GatewayProblem,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({
    type: `https://toskamesh.dev/problems/${problem.reason}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...(problem.retryAfterSeconds === undefined ? {} : { retryAfter: problem.retryAfterSeconds }),
    ...(problem.correlationId === undefined ? {} : { correlationId: problem.correlationId }),
  });
  const headers: Record<string, string> = {
    ...extraHeaders,
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
    ...(problem.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(problem.retryAfterSeconds) }),
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\n${head}\r\n${body}`);
  // A peer that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 2000).unref();
}
