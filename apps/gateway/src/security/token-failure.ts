import { InvalidTokenError, type InvalidTokenReason } from '@toskamesh/security';
import type { AuthOutcome } from './request-identity.js';

/** A refused authentication. */
export type AuthFailure = Extract<AuthOutcome, { ok: false }>;

/**
 * The `reason` a 401 carries for each way a token fails; short, stable and safe to show a client
 * (never token content nor the expected issuer/audience values).
 */
export const TOKEN_FAILURE_REASONS: Readonly<Record<InvalidTokenReason, string>> = {
  malformed: 'malformed token',
  bad_signature: 'bad signature',
  algorithm_not_allowed: 'token algorithm is not accepted',
  unknown_key: 'token signing key is unknown',
  key_unavailable: 'token signing keys are unavailable',
  expired: 'token expired',
  not_yet_valid: 'token is not valid yet',
  wrong_issuer: 'token issuer is not accepted',
  wrong_audience: 'token audience is not accepted',
  missing_claim: 'token lacks a required claim',
};

/** Reason when a request carries neither a bearer token nor an API key. */
export const MISSING_CREDENTIALS = 'missing credentials';
/** Reason when the API key header holds no configured key. */
export const INVALID_API_KEY = 'invalid API key';
/** Reason when a verified token names a user or role that cannot travel as a header value. */
export const UNSAFE_CLAIMS = 'token subject or roles contain control characters';

const failures = new Map<string, AuthFailure>();

/** The (shared, frozen) 401 outcome of `reason`. */
export function unauthorized(reason: string): AuthFailure {
  let failure = failures.get(reason);
  if (failure === undefined) {
    failure = Object.freeze({ ok: false, status: 401, reason });
    failures.set(reason, failure);
  }
  return failure;
}

/** The 401 outcome of a verification error; anything but an `InvalidTokenError` is "invalid token". */
export function tokenFailure(error: unknown): AuthFailure {
  const reason = error instanceof InvalidTokenError ? TOKEN_FAILURE_REASONS[error.reason] : undefined;
  return unauthorized(reason ?? 'invalid token');
}
