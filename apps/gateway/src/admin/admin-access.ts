import type { IncomingMessage } from 'node:http';
import type { GatewayProblem } from '../http/problem.js';
import { normalisedPath } from '../routing/request-path.js';
import type { GatewayAuthenticator } from '../security/gateway-authenticator.js';
import type { RequestIdentity } from '../security/request-identity.js';
import { MISSING_CREDENTIALS } from '../security/token-failure.js';
import { problems, wwwAuthenticate } from '../server/gateway-problems.js';

/** Where the admitted caller's identity is kept on the request, for the admin guard. */
const ADMIN_IDENTITY = Symbol.for('toskamesh.gateway.adminIdentity');

type MarkedRequest = IncomingMessage & { [ADMIN_IDENTITY]?: RequestIdentity };

/** The identity {@link AdminAccess} admitted on `req`, if any. */
export function adminIdentityOf(req: IncomingMessage): RequestIdentity | undefined {
  return (req as MarkedRequest)[ADMIN_IDENTITY];
}

/** A refused admin request. */
export interface AdminRefusal {
  readonly problem: GatewayProblem;
  readonly headers: Record<string, string>;
}

/**
 * Who may use the admin API: a caller whose JWT or API key (checked by the gateway's authenticator)
 * carries the admin role (compared case-insensitively: the original's roles are `Admin`). Without
 * credentials configured nobody can; 401 without or with bad credentials, 403 without the role.
 */
export class AdminAccess {
  private readonly role: string;

  constructor(
    private readonly authenticator: GatewayAuthenticator,
    role: string,
  ) {
    this.role = role.toLowerCase();
  }

  /** Checks `req`; on success marks it with the identity (read by the admin guard) and returns undefined. */
  async check(req: IncomingMessage, correlationId: string): Promise<AdminRefusal | undefined> {
    const target = normalisedPath(req.url ?? '/');
    if (target.kind === 'rejected')
      return { problem: problems.badPath(target.reason, correlationId), headers: {} };
    if (!this.authenticator.enabled) {
      return this.refuse(
        401,
        'the admin API needs credentials: configure security.apiKeys or JWT validation',
        correlationId,
        true,
      );
    }
    const outcome = await this.authenticator.authenticate(req, target.path);
    if (!outcome.ok)
      return this.refuse(
        outcome.status,
        outcome.reason,
        correlationId,
        outcome.reason === MISSING_CREDENTIALS,
      );
    const identity = outcome.identity;
    if (identity === undefined) return this.refuse(401, MISSING_CREDENTIALS, correlationId, true);
    if (!identity.roles.some((role) => role.toLowerCase() === this.role)) {
      return this.refuse(403, `the admin API needs the role "${this.role}"`, correlationId, false);
    }
    (req as MarkedRequest)[ADMIN_IDENTITY] = identity;
    return undefined;
  }

  private refuse(status: 401 | 403, reason: string, correlationId: string, missing: boolean): AdminRefusal {
    return {
      problem: problems.unauthorized(status, reason, correlationId),
      headers: { 'www-authenticate': wwwAuthenticate(status, reason, missing) },
    };
  }
}
