import { MeshValidationError, type MeshError } from '@toskamesh/common';
import { RegistryAccessDeniedError } from '../../errors/registry-access-denied.error.js';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import { DISCOVERY_PROVIDER } from './discovery-wire.codec.js';

/** What an error body (problem+json with the envelope's fields, or plain text) tells about a failure. */
export interface ProblemInfo {
  /** `detail`, else `message`, else `title`, else the raw text. */
  detail: string;
  /** The envelope's `errors` list (validation problems). */
  errors: string[];
}

/** Reads an error body: RFC 9457 `detail`/`title`, the envelope's `message`/`errors`, or raw text. */
export function readProblem(body: unknown, fallback: string): ProblemInfo {
  if (typeof body === 'string') return { detail: body.trim().slice(0, 500) || fallback, errors: [] };
  if (typeof body !== 'object' || body === null) return { detail: fallback, errors: [] };
  const json = body as Record<string, unknown>;
  const text = (key: string) => (typeof json[key] === 'string' && json[key] !== '' ? json[key] : undefined);
  const errors = Array.isArray(json['errors'])
    ? json['errors'].filter((entry): entry is string => typeof entry === 'string')
    : [];
  return { detail: text('detail') ?? text('message') ?? text('title') ?? fallback, errors };
}

/**
 * The typed error for a non-2xx answer of the discovery service. 404 is not mapped here: what it means
 * (absent, `false`, not registered) depends on the call.
 * - 400, 409, 422 → {@link MeshValidationError} with the server's `errors` (or its detail);
 * - 401, 403 → {@link RegistryAccessDeniedError} with the server's detail;
 * - anything else (408, 429, 5xx, an unexpected 404) → {@link RegistryUnavailableError}.
 */
export function httpErrorFor(statusCode: number, body: unknown, operation: string): MeshError {
  const problem = readProblem(body, `HTTP ${statusCode}`);
  if (statusCode === 400 || statusCode === 409 || statusCode === 422) {
    return new MeshValidationError(operation, problem.errors.length ? problem.errors : [problem.detail]);
  }
  if (statusCode === 401 || statusCode === 403) {
    return new RegistryAccessDeniedError(DISCOVERY_PROVIDER, statusCode, problem.detail);
  }
  return new RegistryUnavailableError(
    DISCOVERY_PROVIDER,
    `${operation} answered HTTP ${statusCode}: ${problem.detail}`,
  );
}
