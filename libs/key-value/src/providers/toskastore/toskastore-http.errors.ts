import { MeshTimeoutError, MeshValidationError, isMeshError } from '@toskamesh/common';
import { isConnectionError } from '@toskamesh/resilience';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import { KeyValueAccessDeniedError } from './key-value-access-denied.error.js';

/** Provider name in errors, logs and breaker targets. */
export const TOSKASTORE_PROVIDER = 'toskastore';

/**
 * A non-2xx answer the calling operation does not handle itself. It stays inside the HTTP client: the
 * breaker and the retry read its `status`, then {@link toKeyValueError} turns it into a typed mesh error.
 */
export class ToskaStoreStatusError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** The server's `{"error": ...}` text; empty for the Elixir server's body-less 400/413/415/500. */
    readonly serverMessage: string,
  ) {
    super(`${operation} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
    this.name = 'ToskaStoreStatusError';
  }
}

/** Gateway errors too: a ToskaStore behind a proxy answers 502/504 while it restarts. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * The retry predicate of every ToskaStore call. All of them are idempotent (GET, DELETE, mget, keys, and a
 * PUT repeating the same value), so a refused or broken connection, a timed-out attempt and a 502/503/504
 * may be repeated. 429 is not: repeating would only drain the client's rate-limit bucket further.
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof ToskaStoreStatusError) return TRANSIENT_STATUSES.has(error.status);
  return error instanceof MeshTimeoutError || isConnectionError(error);
}

/** The `error` field of a ToskaStore error body, or the body text. */
export function serverMessageOf(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 500);
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error } = body as { error: unknown };
    if (typeof error === 'string') return error;
  }
  return body === undefined ? '' : JSON.stringify(body).slice(0, 500);
}

/**
 * Maps a failed call to the error callers of `KeyValueStore` see: 400/413 -> `MeshValidationError` with the
 * server's message; 401/403 -> {@link KeyValueAccessDeniedError}; other statuses, timeouts, an open breaker
 * and socket errors -> `KeyValueUnavailableError` (with `status` when there was one).
 */
export function toKeyValueError(error: unknown, operation: string, tokenSent: boolean): Error {
  if (error instanceof ToskaStoreStatusError) return statusError(error, operation, tokenSent);
  if (error instanceof MeshTimeoutError) {
    return new KeyValueUnavailableError(
      TOSKASTORE_PROVIDER,
      `${operation} timed out after ${error.timeoutMs} ms`,
      {
        cause: error,
      },
    );
  }
  if (isMeshError(error) && error.code === 'MESH_RESILIENCE_CIRCUIT_OPEN') {
    return new KeyValueUnavailableError(TOSKASTORE_PROVIDER, `${operation} refused: ${error.message}`, {
      cause: error,
    });
  }
  if (isMeshError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KeyValueUnavailableError(TOSKASTORE_PROVIDER, `${operation} failed: ${message}`, {
    cause: error,
  });
}

function statusError(error: ToskaStoreStatusError, operation: string, tokenSent: boolean): Error {
  const { status, serverMessage } = error;
  if (status === 401 || status === 403) {
    return new KeyValueAccessDeniedError(TOSKASTORE_PROVIDER, status, operation, tokenSent);
  }
  if (status === 400 || status === 413) {
    const reason = serverMessage || (status === 413 ? 'request body too large' : 'bad request');
    return new MeshValidationError(`ToskaStore ${operation}`, [`${reason} (HTTP ${status})`]);
  }
  const detail = `${operation} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`;
  return new KeyValueUnavailableError(TOSKASTORE_PROVIDER, detail, { cause: error, status });
}
