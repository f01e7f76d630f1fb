import { type JsonWebKey, KeyObject, createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto';
import { MeshConfigError } from '@toskamesh/common';
import {
  createRemoteJWKSet,
  type FlattenedJWSInput,
  type JWK,
  type JWSHeaderParameters,
  type RemoteJWKSet,
} from 'jose';
import { assertUsableSecret } from './secret-rules.js';
import {
  MESH_TOKEN_ALGORITHMS,
  type MeshTokenAlgorithm,
  type ServiceAuthOptions,
} from './security-options.js';

const DEFAULT_JWKS_TIMEOUT_MS = 5_000;

/** Key material of one {@link MeshTokenService}, checked once at construction. */
export interface TokenKeys {
  /** Algorithms a verified token may use; a single one except for JWKS without `algorithm`. */
  readonly algorithms: MeshTokenAlgorithm[];
  /** Absent for verify-only configurations (public key or JWKS without a private key). */
  readonly signing?: { algorithm: MeshTokenAlgorithm; key: KeyObject | Uint8Array; keyId?: string };
  /** A fixed key, or a resolver that picks one from a JWKS by the token header. */
  readonly verification: KeyObject | Uint8Array | RemoteJWKSet;
}

type KeyOptions = Pick<
  ServiceAuthOptions,
  'secret' | 'algorithm' | 'privateKey' | 'publicKey' | 'jwksUrl' | 'jwksTimeoutMs' | 'keyId'
>;

/**
 * Builds signing and verification keys from options. Keys are parsed synchronously with
 * `node:crypto` so a bad PEM or JWK fails at start-up, not at the first request.
 */
export function createTokenKeys(options: KeyOptions): TokenKeys {
  if (options.algorithm !== undefined && !MESH_TOKEN_ALGORITHMS.includes(options.algorithm)) {
    throw new MeshConfigError('serviceAuth.algorithm', 'is not supported', {
      value: options.algorithm,
      allowed: MESH_TOKEN_ALGORITHMS.join(', '),
    });
  }
  const asymmetric =
    options.privateKey !== undefined || options.publicKey !== undefined || options.jwksUrl !== undefined;
  if (!asymmetric) return symmetricKeys(options);
  if (options.secret !== undefined) {
    throw new MeshConfigError('serviceAuth.secret', 'cannot be combined with privateKey/publicKey/jwksUrl', {
      allowed: 'either a shared secret (HS256) or a key pair (RS256/ES256)',
    });
  }
  return asymmetricKeys(options);
}

/** The verification key as a `KeyObject`, for libraries (jsonwebtoken) that do not take `CryptoKey`s. */
export async function verificationKeyObject(
  keys: TokenKeys,
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
): Promise<KeyObject> {
  const key = keys.verification;
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) return createSecretKey(key);
  return KeyObject.from(await key(header, token));
}

function symmetricKeys(options: KeyOptions): TokenKeys {
  if (options.algorithm !== undefined && options.algorithm !== 'HS256') {
    throw new MeshConfigError('serviceAuth.algorithm', 'needs privateKey, publicKey or jwksUrl', {
      value: options.algorithm,
      allowed: 'HS256 with a secret',
    });
  }
  assertUsableSecret(options.secret);
  // UTF-8 bytes of the secret, as the .NET original (Encoding.UTF8.GetBytes) keys its HMAC.
  const key = new TextEncoder().encode(options.secret);
  return { algorithms: ['HS256'], signing: { algorithm: 'HS256', key }, verification: key };
}

function asymmetricKeys(options: KeyOptions): TokenKeys {
  if (options.jwksUrl !== undefined && options.publicKey !== undefined) {
    throw new MeshConfigError('serviceAuth.jwksUrl', 'cannot be combined with publicKey', {
      allowed: 'one source of verification keys',
    });
  }
  const privateKey =
    options.privateKey === undefined ? undefined : importKey(options.privateKey, 'privateKey');
  const publicKey =
    options.publicKey !== undefined
      ? importKey(options.publicKey, 'publicKey')
      : privateKey && createPublicKey(privateKey);
  const typed = privateKey ?? publicKey;
  const algorithm = options.algorithm ?? (typed ? inferAlgorithm(typed) : undefined);
  if (algorithm === 'HS256') {
    throw new MeshConfigError('serviceAuth.algorithm', 'HS256 needs a secret, not a key pair', {
      allowed: 'RS256 or ES256 with privateKey/publicKey/jwksUrl',
    });
  }
  for (const [name, key] of [
    ['privateKey', privateKey],
    ['publicKey', publicKey],
  ] as const) {
    if (key && algorithm) assertKeyFits(key, algorithm, name);
  }
  const keyId = options.keyId ?? jwkKeyId(options.privateKey);
  return {
    algorithms: algorithm ? [algorithm] : ['RS256', 'ES256'],
    signing:
      privateKey && algorithm ? { algorithm, key: privateKey, ...(keyId ? { keyId } : {}) } : undefined,
    verification: publicKey ?? remoteKeySet(options.jwksUrl ?? '', options.jwksTimeoutMs),
  };
}

function importKey(input: string | JWK, name: 'privateKey' | 'publicKey'): KeyObject {
  try {
    const source = typeof input === 'string' ? input : { key: input as JsonWebKey, format: 'jwk' as const };
    return name === 'privateKey' ? createPrivateKey(source) : createPublicKey(source);
  } catch (cause) {
    throw new MeshConfigError(`serviceAuth.${name}`, 'could not be parsed', {
      allowed:
        name === 'privateKey'
          ? 'a PKCS#8 (or PKCS#1/SEC1) PEM string or a private JWK'
          : 'an SPKI PEM string, an X.509 certificate PEM or a public JWK',
      cause,
    });
  }
}

function inferAlgorithm(key: KeyObject): MeshTokenAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return 'ES256';
  throw new MeshConfigError('serviceAuth.privateKey', 'has an unsupported key type', {
    value: key.asymmetricKeyType,
    allowed: 'RSA (RS256) or EC P-256 (ES256)',
  });
}

function assertKeyFits(key: KeyObject, algorithm: MeshTokenAlgorithm, name: string): void {
  const fits =
    algorithm === 'RS256'
      ? key.asymmetricKeyType === 'rsa'
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!fits) {
    throw new MeshConfigError(`serviceAuth.${name}`, `does not fit algorithm ${algorithm}`, {
      value: key.asymmetricKeyType,
      allowed: algorithm === 'RS256' ? 'an RSA key' : 'an EC P-256 key',
    });
  }
}

function jwkKeyId(input: string | JWK | undefined): string | undefined {
  return typeof input === 'object' && typeof input.kid === 'string' ? input.kid : undefined;
}

function remoteKeySet(url: string, timeoutMs = DEFAULT_JWKS_TIMEOUT_MS): RemoteJWKSet {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new MeshConfigError('serviceAuth.jwksUrl', 'is not a valid URL', { value: url, cause });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new MeshConfigError('serviceAuth.jwksUrl', 'must use http or https', { value: url });
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new MeshConfigError('serviceAuth.jwksTimeoutMs', 'must be a positive integer', {
      value: timeoutMs,
    });
  }
  return createRemoteJWKSet(parsed, { timeoutDuration: timeoutMs });
}
