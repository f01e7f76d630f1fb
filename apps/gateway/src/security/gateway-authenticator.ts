import type { IncomingMessage } from 'node:http';
import { bearerFromHeader } from '@toskamesh/security';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { ApiKeyMatcher } from './api-key-matcher.js';
import { JwtVerifier, type JwtVerifierDeps } from './jwt-verifier.js';
import { compilePathPatterns, type PathMatcher } from './path-pattern.js';
import type { AuthOutcome, RequestAuthenticator } from './request-identity.js';
import { INVALID_API_KEY, MISSING_CREDENTIALS, unauthorized } from './token-failure.js';

/** Security settings of the gateway. */
export type GatewaySecuritySettings = ResolvedGatewayOptions['security'];

/** Collaborators of {@link GatewayAuthenticator}; tests inject a clock. */
export type GatewayAuthenticatorDeps = JwtVerifierDeps;

const PASS: AuthOutcome = Object.freeze({ ok: true });
const BEARER_SCHEME = /^\s*bearer(?:\s|$)/i;

/**
 * The gateway's {@link RequestAuthenticator}.
 *
 * - Neither JWT enabled nor API keys configured: every request passes without an identity.
 * - Otherwise a request that is not on a public path must carry `Authorization: Bearer <jwt>` (when
 *   JWT is enabled) or a configured key in the API key header (when keys exist); without either it is
 *   refused with 401 `missing credentials`, with a bad one 401 and the reason (`token expired`,
 *   `token audience is not accepted`, `malformed token`, `bad signature`, `invalid API key`, ...).
 * - A bearer token wins over an API key when both are present; a present but invalid credential is
 *   refused rather than falling back to the other one. `Authorization` with another scheme (`Basic`)
 *   is not a gateway credential and is left for the upstream.
 * - Public paths (`security.publicPaths`) never answer 401: they pass without an identity, or with
 *   one when the request carries valid credentials anyway (so an upstream can personalise a public
 *   page); invalid credentials there are ignored.
 *
 * Answers synchronously unless a token needs a real signature check (see {@link JwtVerifier}).
 */
export class GatewayAuthenticator implements RequestAuthenticator {
  private readonly jwt: JwtVerifier | undefined;
  private readonly apiKeys: ApiKeyMatcher | undefined;
  private readonly apiKeyHeader: string;
  private readonly isPublic: PathMatcher;
  private readonly enforcing: boolean;

  constructor(options: GatewaySecuritySettings, deps: GatewayAuthenticatorDeps = {}) {
    this.isPublic = compilePathPatterns(options.publicPaths);
    this.jwt = options.jwt.enabled ? new JwtVerifier(options.jwt, deps) : undefined;
    const apiKeys = new ApiKeyMatcher(options.apiKeys);
    this.apiKeys = apiKeys.enabled ? apiKeys : undefined;
    this.apiKeyHeader = options.apiKeyHeader.toLowerCase();
    this.enforcing = this.jwt !== undefined || this.apiKeys !== undefined;
  }

  /** True when some requests need credentials (JWT enabled or API keys configured). */
  get enabled(): boolean {
    return this.enforcing;
  }

  authenticate(request: IncomingMessage, path: string): AuthOutcome | Promise<AuthOutcome> {
    if (!this.enforcing) return PASS;
    const outcome = this.checkCredentials(request);
    if (!this.isPublic(path)) return outcome ?? unauthorized(MISSING_CREDENTIALS);
    if (outcome === undefined) return PASS;
    return outcome instanceof Promise ? outcome.then(publicOutcome) : publicOutcome(outcome);
  }

  /** The outcome of the credentials on `request`, or `undefined` when it carries none. */
  private checkCredentials(request: IncomingMessage): AuthOutcome | Promise<AuthOutcome> | undefined {
    if (this.jwt !== undefined) {
      const authorization = request.headers.authorization;
      if (authorization !== undefined && BEARER_SCHEME.test(authorization)) {
        const token = bearerFromHeader(authorization);
        return token === undefined ? unauthorized('malformed token') : this.jwt.verify(token);
      }
    }
    if (this.apiKeys !== undefined) {
      const presented = request.headers[this.apiKeyHeader];
      if (typeof presented === 'string' && presented !== '') {
        const identity = this.apiKeys.match(presented);
        return identity === undefined ? unauthorized(INVALID_API_KEY) : { ok: true, identity };
      }
    }
    return undefined;
  }
}

/** On a public path a refusal becomes a pass without identity. */
function publicOutcome(outcome: AuthOutcome): AuthOutcome {
  return outcome.ok ? outcome : PASS;
}
