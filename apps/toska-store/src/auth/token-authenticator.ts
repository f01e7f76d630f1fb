import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import { TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';

/** Which token protects a path: `auth_token` (/kv*, /stats) or the replication token (/replication*). */
export type AuthGroup = 'kv' | 'replication';

const BEARER = 'Bearer ';

/**
 * Checks the credentials of protected requests (contract §5). Accepted, exactly as upstream:
 * `Authorization: Bearer <token>`, `Authorization: <token>`, `X-Toska-Token: <token>` and
 * `X-Toska-Token: Bearer <token>`; the scheme is case-sensitive (`bearer x` is refused). Unlike upstream's
 * `==`, the comparison is constant-time: both sides are SHA-256 hashed to equal-length digests first.
 * The replication token falls back to the auth token when empty; an empty token turns auth off.
 */
@Injectable()
export class TokenAuthenticator {
  private readonly kvDigest: Buffer | undefined;
  private readonly replicationDigest: Buffer | undefined;

  constructor(@Inject(TOSKA_STORE_OPTIONS) options: ToskaStoreOptions) {
    this.kvDigest = digestOf(options.authToken);
    this.replicationDigest = digestOf(options.replicationAuthToken || options.authToken);
  }

  /** Whether requests of `group` need a credential at all. */
  required(group: AuthGroup): boolean {
    return (group === 'kv' ? this.kvDigest : this.replicationDigest) !== undefined;
  }

  /**
   * True when auth is off for `group`, or either header (its first value) carries the token.
   * Both headers are always checked, so timing does not tell which one was tried.
   */
  authorize(group: AuthGroup, authorization: string | undefined, toskaToken: string | undefined): boolean {
    const expected = group === 'kv' ? this.kvDigest : this.replicationDigest;
    if (expected === undefined) return true;
    const viaAuthorization = matches(expected, authorization);
    const viaToskaToken = matches(expected, toskaToken);
    return viaAuthorization || viaToskaToken;
  }
}

function digestOf(token: string): Buffer | undefined {
  return token === '' ? undefined : createHash('sha256').update(token, 'utf8').digest();
}

function matches(expected: Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const bare = timingSafeEqual(expected, sha256(header));
  // Whether a header starts with the scheme is not secret; what follows it is compared in constant time.
  const bearer = header.startsWith(BEARER) && timingSafeEqual(expected, sha256(header.slice(BEARER.length)));
  return bare || bearer;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'latin1').digest();
}
