import type { UpstreamFailureKind } from '../forwarding-engine.js';

/** Socket error codes that mean the request never reached the upstream. */
const CONNECT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EADDRNOTAVAIL',
  // The kernel's own connect timeout.
  'ETIMEDOUT',
]);

/**
 * The failure kind of an error on an upstream request before its response headers: a connect error code, or
 * anything at all before the connection was up, is `connect` (nothing was sent, so any request may be tried
 * elsewhere); after that it is `reset` (ECONNRESET, "socket hang up", a malformed answer). A request Node
 * refuses to send (an invalid header or path character) is `aborted`: the request, not the upstream, is at
 * fault, so it must neither be retried nor count against the instance.
 */
export function failureKindOf(error: unknown, connected: boolean): UpstreamFailureKind {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') {
    if (CONNECT_ERROR_CODES.has(code)) return 'connect';
    if (isInvalidRequestCode(code)) return 'aborted';
  }
  return connected ? 'reset' : 'connect';
}

/** Node's codes for a request it will not send (`ERR_INVALID_CHAR`, `ERR_UNESCAPED_CHARACTERS`, ...). */
export function isInvalidRequestCode(code: string): boolean {
  return (
    code.startsWith('ERR_INVALID_') ||
    code.startsWith('ERR_HTTP_INVALID_') ||
    code === 'ERR_UNESCAPED_CHARACTERS'
  );
}

/** A short description of an error for a failure message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}
