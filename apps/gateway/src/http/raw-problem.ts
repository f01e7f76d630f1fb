import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody, type GatewayProblem } from './problem.js';

/**
 * Writes `problem` as a complete HTTP/1.1 response straight onto `socket` and closes it: for answers
 * given where no `ServerResponse` exists (a parse error in `clientError`, a refused `Upgrade`).
 * Does nothing when the socket can no longer be written. Returns the problem's status (for logs).
 */
export function writeRawProblem(
  socket: Duplex,
  problem: GatewayProblem,
  extraHeaders: Readonly<Record<string, string>> = {},
): number {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return problem.status;
  }
  const body = problemBody(problem);
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
  return problem.status;
}
