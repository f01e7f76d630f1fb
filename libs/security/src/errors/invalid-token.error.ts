import { MeshError } from '@toskamesh/common';

/** Why a token was rejected; stable strings, also sent as `reason` in 401 bodies. */
export type InvalidTokenReason =
  | 'malformed'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'key_unavailable'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim';

const DESCRIPTIONS: Record<InvalidTokenReason, string> = {
  malformed: 'the token is malformed',
  bad_signature: 'the signature does not verify with the configured key',
  algorithm_not_allowed: 'the signing algorithm is not allowed',
  unknown_key: 'no configured key matches the token',
  key_unavailable: 'the verification keys could not be fetched',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet',
  wrong_issuer: 'the issuer is not the expected one',
  wrong_audience: 'the audience is not the expected one',
  missing_claim: 'a required claim is missing',
};

/**
 * A bearer token failed verification. `reason` names what failed (expired, bad signature, wrong
 * issuer, ...); the message never contains the token itself. Retryable only when the keys could not
 * be fetched (JWKS unreachable), since the same token may verify once they are.
 */
export class InvalidTokenError extends MeshError {
  constructor(
    readonly reason: InvalidTokenReason,
    /** Extra context such as the claim name or the expected value; never token content. */
    readonly detail?: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'MESH_SECURITY_TOKEN_INVALID',
      `Invalid token: ${DESCRIPTIONS[reason]}${detail ? ` (${detail})` : ''}`,
      {
        cause: options.cause,
        retryable: reason === 'key_unavailable',
        details: { reason, ...(detail ? { detail } : {}) },
      },
    );
  }
}
