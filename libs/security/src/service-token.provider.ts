import { MeshConfigError } from '@toskamesh/common';
import type { MeshTokenService } from './mesh-token.service.js';
import { SERVICE_ROLE, type ServiceIdentityOptions } from './security-options.js';

/** Renewal policy of {@link ServiceTokenProvider}. */
export interface ServiceTokenProviderOptions {
  /** Renew at the latest this long before expiry, in milliseconds. @default 30000 */
  renewBeforeExpiryMs?: number;
  /** Renew at the latest after this fraction of the lifetime has passed. @default 0.8 */
  renewAtLifetimeFraction?: number;
  /** Clock in epoch milliseconds. @default the token service's clock */
  now?: () => number;
}

/** The identity a {@link ServiceTokenProvider} issues tokens for, with defaults applied. */
export interface ResolvedServiceIdentity {
  serviceName: string;
  serviceId: string;
  /** Configured roles plus `Service`. */
  roles: string[];
}

interface CachedToken {
  token: string;
  renewAt: number;
}

/**
 * This service's own mesh token, for calls to the registry and other services. The token has
 * subject = `service_id` = serviceId, `service_name` = serviceName and the configured roles plus
 * `Service`. It is cached and lazily renewed before it expires (30 s before, or at 80 % of its
 * lifetime, whichever comes first); concurrent callers share one issuance. No timers are involved.
 */
export class ServiceTokenProvider {
  /** Who the tokens are for. */
  readonly identity: ResolvedServiceIdentity;
  private readonly renewBeforeExpiryMs: number;
  private readonly renewAtLifetimeFraction: number;
  private readonly now: () => number;
  private cached?: CachedToken;
  private inFlight?: Promise<string>;
  private generation = 0;

  constructor(
    private readonly tokens: MeshTokenService,
    identity: ServiceIdentityOptions,
    options: ServiceTokenProviderOptions = {},
  ) {
    if (!tokens.canIssue) {
      throw new MeshConfigError('serviceAuth.privateKey', 'is required for the service token', {
        allowed: 'a secret or a private key; publicKey/jwksUrl alone only verify',
      });
    }
    this.identity = resolveIdentity(identity);
    this.renewBeforeExpiryMs = options.renewBeforeExpiryMs ?? 30_000;
    this.renewAtLifetimeFraction = options.renewAtLifetimeFraction ?? 0.8;
    if (!(this.renewAtLifetimeFraction > 0 && this.renewAtLifetimeFraction <= 1)) {
      throw new MeshConfigError('renewAtLifetimeFraction', 'must be in (0, 1]', {
        value: this.renewAtLifetimeFraction,
      });
    }
    if (!(this.renewBeforeExpiryMs >= 0)) {
      throw new MeshConfigError('renewBeforeExpiryMs', 'must be >= 0', { value: this.renewBeforeExpiryMs });
    }
    this.now = options.now ?? tokens.now;
  }

  /** A valid token for this service, issuing a new one when the cached one is due for renewal. */
  getToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.issue();
    return this.inFlight;
  }

  /** Drops the cached token, e.g. after a peer answered 401; the next call issues a fresh one. */
  invalidate(): void {
    this.cached = undefined;
    this.inFlight = undefined;
    this.generation += 1;
  }

  private async issue(): Promise<string> {
    const generation = this.generation;
    const issuedAt = this.now();
    const lifetimeMs = this.tokens.tokenLifetimeMs;
    try {
      const token = await this.tokens.issue({
        subject: this.identity.serviceId,
        serviceName: this.identity.serviceName,
        serviceId: this.identity.serviceId,
        roles: this.identity.roles,
      });
      // A token issued before invalidate() must not be cached over the caller's wish to drop it.
      if (generation === this.generation) {
        this.cached = { token, renewAt: issuedAt + this.renewAfterMs(lifetimeMs) };
      }
      return token;
    } finally {
      if (generation === this.generation) this.inFlight = undefined;
    }
  }

  private renewAfterMs(lifetimeMs: number): number {
    const byFraction = lifetimeMs * this.renewAtLifetimeFraction;
    const byMargin = lifetimeMs - this.renewBeforeExpiryMs;
    return byMargin > 0 ? Math.min(byMargin, byFraction) : byFraction;
  }
}

function resolveIdentity(identity: ServiceIdentityOptions): ResolvedServiceIdentity {
  const serviceName = identity.serviceName;
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    throw new MeshConfigError('identity.serviceName', 'must be a non-empty string', { value: serviceName });
  }
  const serviceId = identity.serviceId ?? serviceName;
  if (typeof serviceId !== 'string' || serviceId.trim() === '') {
    throw new MeshConfigError('identity.serviceId', 'must be a non-empty string', { value: serviceId });
  }
  const roles = identity.roles ?? [];
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string' || role.trim() === '')) {
    throw new MeshConfigError('identity.roles', 'must be a list of non-empty strings', { value: roles });
  }
  return { serviceName, serviceId, roles: [...new Set([...roles, SERVICE_ROLE])] };
}
