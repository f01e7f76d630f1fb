import { HttpException, HttpStatus } from '@nestjs/common';
import { isMeshError, type MeshError } from '@toskamesh/common';
import { ForbiddenError } from './errors/forbidden.error.js';
import { InvalidTokenError } from './errors/invalid-token.error.js';
import { MissingTokenError } from './errors/missing-token.error.js';

/** Realm named in `WWW-Authenticate` challenges. */
const REALM = 'ToskaMesh';

/** An HTTP answer for an authentication or authorization failure. */
export interface HttpAuthFailure {
  exception: HttpException;
  /** RFC 6750 challenge for the `WWW-Authenticate` header. */
  challenge: string;
}

/** True for the errors {@link httpAuthFailure} maps. */
export function isAuthFailure(error: unknown): error is MeshError {
  return (
    isMeshError(error) &&
    (error instanceof InvalidTokenError ||
      error instanceof MissingTokenError ||
      error instanceof ForbiddenError)
  );
}

/**
 * Maps a security error to a problem-style HTTP exception: 401 for a missing or invalid token, 403
 * for a missing role or scope, 503 when the verification keys could not be fetched (the token may be
 * fine; a 401 would make clients drop a good token).
 */
export function httpAuthFailure(error: MeshError): HttpAuthFailure {
  const status = statusOf(error);
  const reason = error instanceof InvalidTokenError ? error.reason : undefined;
  const body = {
    type: 'about:blank',
    title: titleOf(status),
    status,
    detail: error.message,
    code: error.code,
    ...(reason ? { reason } : {}),
  };
  return { exception: new HttpException(body, status, { cause: error }), challenge: challengeFor(error) };
}

function statusOf(error: MeshError): number {
  if (error instanceof ForbiddenError) return HttpStatus.FORBIDDEN;
  if (error instanceof InvalidTokenError && error.reason === 'key_unavailable') {
    return HttpStatus.SERVICE_UNAVAILABLE;
  }
  return HttpStatus.UNAUTHORIZED;
}

function titleOf(status: number): string {
  if (status === HttpStatus.FORBIDDEN) return 'Forbidden';
  if (status === HttpStatus.SERVICE_UNAVAILABLE) return 'Service Unavailable';
  return 'Unauthorized';
}

function challengeFor(error: MeshError): string {
  if (error instanceof MissingTokenError) return `Bearer realm="${REALM}"`;
  const code = error instanceof ForbiddenError ? 'insufficient_scope' : 'invalid_token';
  // Quotes and backslashes would break the quoted-string of the header.
  const description = error.message.replace(/["\\\r\n]/g, "'");
  return `Bearer realm="${REALM}", error="${code}", error_description="${description}"`;
}
