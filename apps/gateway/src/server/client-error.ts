import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayProblem } from '../http/problem.js';
import { writeRawProblem } from '../http/raw-problem.js';

/** What Node's parser reports, by `code`, as the problem the client gets. */
function problemOf(code: string | undefined): GatewayProblem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        title: 'Request Header Fields Too Large',
        detail: 'the request line and headers exceed the gateway limit (limits.maxHeaderBytes)',
        reason: 'header-too-large',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        title: 'Request Timeout',
        detail: 'the request was not received in time',
        reason: 'request-timeout',
      };
    default:
      return {
        status: 400,
        title: 'Bad Request',
        detail: `the request is not valid HTTP/1.1${code ? ` (${code})` : ''}`,
        reason: 'malformed-request',
      };
  }
}

type SocketWithMessage = Duplex & { _httpMessage?: ServerResponse | null };

/**
 * The server's `clientError` listener: a request Node cannot parse (bad syntax, CR/LF or NUL in a
 * header, a head over `maxHeaderSize`) gets 400 / 431 / 408 as problem+json and the connection is
 * closed. Registering it replaces Node's default answer, so it must answer 431 itself. Never throws:
 * nothing a client sends may take the process down.
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  try {
    const inProgress = (socket as SocketWithMessage)._httpMessage;
    // A reset peer cannot be answered; a response already on the wire must not get a second head.
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    writeRawProblem(socket, problemOf(error.code));
  } catch {
    socket.destroy();
  }
}
