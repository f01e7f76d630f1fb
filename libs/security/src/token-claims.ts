import type { JWTPayload } from 'jose';
import { InvalidTokenError } from './errors/invalid-token.error.js';

/** What a verified payload must satisfy; times in seconds since the epoch. */
export interface ClaimExpectations {
  issuer: string;
  audience: string;
  nowSec: number;
  skewSec: number;
}

/**
 * Checks the registered claims of a payload whose signature is already verified. Done here rather
 * than by `jose.jwtVerify` because tokens from the .NET original carry `iat` as a numeric string,
 * which jose rejects outright; everything else follows RFC 7519. `exp` is required: a mesh token
 * that never expires is a standing credential.
 */
export function validateClaims(payloadBytes: Uint8Array, expect: ClaimExpectations): JWTPayload {
  const claims = parsePayload(payloadBytes);
  if (claims.iss !== expect.issuer) {
    throw new InvalidTokenError('wrong_issuer', `expected "${expect.issuer}"`);
  }
  if (!audienceMatches(claims.aud, expect.audience)) {
    throw new InvalidTokenError('wrong_audience', `expected "${expect.audience}"`);
  }
  const exp = numericDate(claims, 'exp', true);
  const nbf = numericDate(claims, 'nbf', false);
  const iat = numericDate(claims, 'iat', false);
  if (exp !== undefined && exp <= expect.nowSec - expect.skewSec) {
    throw new InvalidTokenError('expired', `expired at ${isoSeconds(exp)}`);
  }
  if (nbf !== undefined && nbf > expect.nowSec + expect.skewSec) {
    throw new InvalidTokenError('not_yet_valid', `not before ${isoSeconds(nbf)}`);
  }
  if (iat !== undefined && iat > expect.nowSec + expect.skewSec) {
    throw new InvalidTokenError('not_yet_valid', `issued in the future at ${isoSeconds(iat)}`);
  }
  return claims;
}

function parsePayload(bytes: Uint8Array): JWTPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new InvalidTokenError('malformed', 'payload is not JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidTokenError('malformed', 'payload is not a JSON object');
  }
  return parsed as JWTPayload;
}

function audienceMatches(aud: unknown, expected: string): boolean {
  if (typeof aud === 'string') return aud === expected;
  return Array.isArray(aud) && aud.includes(expected);
}

function numericDate(
  claims: JWTPayload,
  claim: 'exp' | 'nbf' | 'iat',
  required: boolean,
): number | undefined {
  const value: unknown = claims[claim];
  if (value === undefined) {
    if (required) throw new InvalidTokenError('missing_claim', `"${claim}"`);
    return undefined;
  }
  const numeric = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof numeric !== 'number' || !Number.isFinite(numeric)) {
    throw new InvalidTokenError('malformed', `"${claim}" is not a NumericDate`);
  }
  return numeric;
}

function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}
